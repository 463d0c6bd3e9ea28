/**
 * Replay of one team's track (轨迹回放) for a chosen time range: loads the fixes, then plays them
 * at 1×, 10× or 60×, driven by requestAnimationFrame against the fix times (the playhead is
 * computed from the wall clock each frame, never accumulated, so it does not drift).
 */
import type { TrackFormat, TrackPoint, TrackResponse } from '@lianfang/server/api';
import { getJson } from '../api';
import { playhead } from './track';

export const SPEEDS = [1, 10, 60] as const;
export type Speed = (typeof SPEEDS)[number];
export type ReplayStatus = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

/** The server's limit per request; a week of 5-second fixes is ~120,000, so long ranges come back truncated. */
const TRACK_LIMIT = 50_000;

export class TrackReplay {
  teamId = $state<string | null>(null);
  callSign = $state('');
  from = $state(0);
  to = $state(0);
  status = $state<ReplayStatus>('idle');
  track = $state.raw<TrackPoint[]>([]);
  truncated = $state(false);
  /** The playhead, epoch ms on the fixes' clock. */
  time = $state(0);
  playing = $state(false);
  speed = $state<Speed>(10);

  #anchor = { wall: 0, time: 0 };
  #frame = 0;
  #request = 0;

  get start(): number {
    return this.track[0]?.time ?? this.from;
  }

  get end(): number {
    return this.track.at(-1)?.time ?? this.to;
  }

  /** Opens the replay of a team for [from, to] and loads it. */
  open(teamId: string, callSign: string, from: number, to: number): Promise<void> {
    this.teamId = teamId;
    this.callSign = callSign;
    return this.load(from, to);
  }

  /** The loaded window as a file to download (GPX, KML or GeoJSON), or null before a team is open. */
  fileUrl(format: TrackFormat): string | null {
    if (!this.teamId) return null;
    return `/api/teams/${encodeURIComponent(this.teamId)}/track?from=${Math.round(this.from)}&to=${Math.round(this.to)}&limit=${TRACK_LIMIT}&format=${format}`;
  }

  async load(from: number, to: number): Promise<void> {
    const teamId = this.teamId;
    if (!teamId) return;
    this.pause();
    this.from = from;
    this.to = to;
    this.status = 'loading';
    const request = ++this.#request;
    try {
      const response = await getJson<TrackResponse>(
        `/api/teams/${encodeURIComponent(teamId)}/track?from=${Math.round(from)}&to=${Math.round(to)}&limit=${TRACK_LIMIT}`,
      );
      if (request !== this.#request) return;
      this.track = response.positions;
      this.truncated = response.truncated;
      this.time = this.start;
      this.status = response.positions.length > 0 ? 'ready' : 'empty';
    } catch (error) {
      if (request !== this.#request) return;
      console.warn('Track failed to load', error);
      this.track = [];
      this.status = 'error';
    }
  }

  play(): void {
    if (this.status !== 'ready' || this.playing) return;
    if (this.time >= this.end) this.time = this.start;
    this.playing = true;
    this.#anchorNow();
    this.#frame = requestAnimationFrame(this.#tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  seek(time: number): void {
    this.time = Math.min(this.end, Math.max(this.start, time));
    this.#anchorNow();
  }

  setSpeed(speed: Speed): void {
    // Re-anchored where the playhead is now, so changing speed does not jump.
    this.#anchorNow();
    this.speed = speed;
  }

  close(): void {
    this.pause();
    this.#request++;
    this.teamId = null;
    this.track = [];
    this.status = 'idle';
  }

  #anchorNow(): void {
    this.#anchor = { wall: performance.now(), time: this.time };
  }

  #tick = (wall: number): void => {
    if (!this.playing) return;
    const end = this.end;
    this.time = playhead(this.#anchor, wall, this.speed, end);
    if (this.time >= end) {
      this.pause();
      return;
    }
    this.#frame = requestAnimationFrame(this.#tick);
  };
}
