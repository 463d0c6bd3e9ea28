/**
 * Replay of a major event (活动回放): every team and incident of its window and area together,
 * with a slider and a speed. The playhead is computed from the wall clock each frame (never
 * accumulated), like the single team's replay.
 */
import type { EventReplay } from '@lianfang/server/api';
import { positionAt } from '@lianfang/geo';
import { getJson } from '../api';
import { playhead } from '../replay/track';

export const EVENT_SPEEDS = [10, 60, 300] as const;
export type EventSpeed = (typeof EVENT_SPEEDS)[number];

export class EventReplayState {
  data = $state.raw<EventReplay | null>(null);
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  time = $state(0);
  playing = $state(false);
  speed = $state<EventSpeed>(60);

  #anchor = { wall: 0, time: 0 };
  #frame = 0;

  async open(eventId: string): Promise<void> {
    this.pause();
    this.status = 'loading';
    try {
      this.data = await getJson<EventReplay>(`/api/events/${encodeURIComponent(eventId)}/replay`);
      this.time = this.data.from;
      this.status = 'ready';
    } catch {
      this.status = 'error';
    }
  }

  /** Each team where it was at the playhead (tracks held 5 minutes past their last fix). */
  get teams(): { teamId: string; callSign: string; lon: number; lat: number }[] {
    const t = this.time;
    return (this.data?.teams ?? []).flatMap((team) => {
      const at = positionAt(team.track, t);
      return at ? [{ teamId: team.teamId, callSign: team.callSign, ...at }] : [];
    });
  }

  /** Incidents reported by the playhead and not yet resolved then. */
  get incidents(): EventReplay['incidents'] {
    const t = this.time;
    return (this.data?.incidents ?? []).filter((i) => i.createdAt <= t && (i.resolvedAt === null || i.resolvedAt > t));
  }

  play(): void {
    if (this.status !== 'ready' || this.playing || !this.data) return;
    if (this.time >= this.data.to) this.time = this.data.from;
    this.playing = true;
    this.#anchor = { wall: performance.now(), time: this.time };
    this.#frame = requestAnimationFrame(this.#tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.#frame);
  }

  seek(time: number): void {
    if (!this.data) return;
    this.time = Math.min(this.data.to, Math.max(this.data.from, time));
    this.#anchor = { wall: performance.now(), time: this.time };
  }

  setSpeed(speed: EventSpeed): void {
    this.#anchor = { wall: performance.now(), time: this.time };
    this.speed = speed;
  }

  close(): void {
    this.pause();
    this.data = null;
    this.status = 'idle';
  }

  #tick = (wall: number): void => {
    if (!this.playing || !this.data) return;
    this.time = playhead(this.#anchor, wall, this.speed, this.data.to);
    if (this.time >= this.data.to) return this.pause();
    this.#frame = requestAnimationFrame(this.#tick);
  };
}
