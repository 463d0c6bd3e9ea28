/**
 * Coalesces position updates and pushes them to the maps once per tick, so a viewer gets a
 * bounded number of messages per second however many devices report: only each team's
 * newest position since the last tick is sent.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { TeamPositionsBatch } from '../events.ts';

export class PositionBroadcaster {
  #pending = new Map<string, TeamPosition>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (batch: TeamPositionsBatch) => void,
    private readonly now: () => number,
    private readonly tickMs: number,
  ) {}

  /** Queues a position; a newer one for the same team replaces it. */
  push(position: TeamPosition): void {
    const queued = this.#pending.get(position.teamId);
    if (!queued || queued.time <= position.time) this.#pending.set(position.teamId, position);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends what is queued as one batch; nothing when nothing is queued. */
  flush(): void {
    if (this.#pending.size === 0) return;
    const positions = [...this.#pending.values()];
    this.#pending.clear();
    this.emit({ positions, at: this.now() });
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.flush(), this.tickMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.flush();
  }
}
