/**
 * Coalesces coverage changes and pushes them to the maps once per tick, like positions: a
 * period starting may change 5,000 locations at once, a visit one; either way a map gets at
 * most one `coverage:changed` per tick per server process, with each location's newest state.
 */
import type { CoverageChangedBatch } from '../events.ts';
import type { CoverageState, LocationCoverageChange } from './api.ts';
import { parseState } from './store.ts';
import { LatestByKey } from '../live/coalescer.ts';

export class CoverageBroadcaster extends LatestByKey<LocationCoverageChange> {
  constructor(emit: (batch: CoverageChangedBatch) => void, now: () => number, tickMs: number) {
    super((changes, at) => emit({ changes, at }), now, tickMs);
  }

  /** Queues changes as the scripts report them: location id → "state,deadline,dueAt" or "inactive". */
  push(changes: Array<[string, string]>): void {
    for (const [id, value] of changes) {
      const s = parseState(value === 'inactive' ? undefined : value);
      this.set(id, { id, state: (s?.state ?? 'inactive') as CoverageState, deadline: s?.deadline ?? null, dueAt: s?.dueAt ?? null });
    }
  }
}
