/**
 * Coalesces position updates and pushes them to the maps once per tick, so a viewer gets a
 * bounded number of messages per second however many devices report: only each team's
 * newest position since the last tick is sent.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { TeamPositionsBatch } from '../events.ts';
import { LatestByKey } from '../live/coalescer.ts';

export class PositionBroadcaster extends LatestByKey<TeamPosition> {
  constructor(emit: (batch: TeamPositionsBatch) => void, now: () => number, tickMs: number) {
    super((positions, at) => emit({ positions, at }), now, tickMs);
  }

  /** Queues a position; a newer one for the same team replaces it. */
  push(position: TeamPosition): void {
    const queued = this.get(position.teamId);
    if (!queued || queued.time <= position.time) this.set(position.teamId, position);
  }
}
