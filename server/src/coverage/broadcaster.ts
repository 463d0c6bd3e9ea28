/**
 * Coalesces coverage changes and pushes them to the maps once per tick, like positions: a
 * period starting may change 5,000 locations at once, a visit one; either way a map gets at
 * most one `coverage:changed` per tick per server process, with each location's newest state.
 */
import type { CoverageChangedBatch } from '../events.ts';
import type { CoverageState, LocationCoverageChange } from './api.ts';
import { parseState } from './store.ts';

export class CoverageBroadcaster {
  #pending = new Map<string, LocationCoverageChange>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (batch: CoverageChangedBatch) => void,
    private readonly now: () => number,
    private readonly tickMs: number,
  ) {}

  /** Queues changes as the scripts report them: location id → "state,deadline,dueAt" or "inactive". */
  push(changes: Array<[string, string]>): void {
    for (const [id, value] of changes) {
      const s = parseState(value === 'inactive' ? undefined : value);
      this.#pending.set(id, { id, state: (s?.state ?? 'inactive') as CoverageState, deadline: s?.deadline ?? null, dueAt: s?.dueAt ?? null });
    }
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  flush(): void {
    if (this.#pending.size === 0) return;
    const changes = [...this.#pending.values()];
    this.#pending.clear();
    this.emit({ changes, at: this.now() });
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
