/**
 * Coalesces coverage changes and pushes them to the maps once per tick, like positions: a tick
 * may find 5,000 locations overdue at once, a visit changes one; either way a map gets at most
 * one `coverage:changed` per tick per server process, with each location's newest state. A
 * period starting or ending changes every deadline: the maps are told to reload instead.
 */
import type { CoverageChangedBatch } from '../events.ts';
import type { LocationCoverageChange } from './schemas.ts';
import { LatestByKey } from '../live/coalescer.ts';

export class CoverageBroadcaster extends LatestByKey<LocationCoverageChange> {
  #reload = false;

  constructor(
    private readonly emit: (batch: CoverageChangedBatch) => void,
    private readonly clock: () => number,
    tickMs: number,
  ) {
    super((changes, at) => emit({ changes, at }), clock, tickMs);
  }

  /** Queues changes as the scripts report them; `reload` when requirements changed (maps then reload the snapshot). */
  push(changes: readonly LocationCoverageChange[], reload = false): void {
    if (reload) this.#reload = true;
    for (const change of changes) this.set(change.id, change);
  }

  /** A reload replaces every change queued with it: the snapshot the maps fetch holds them. */
  override flush(): void {
    if (this.#reload) {
      this.#reload = false;
      this.clear();
      this.emit({ changes: [], reload: true, at: this.clock() });
      return;
    }
    super.flush();
  }
}
