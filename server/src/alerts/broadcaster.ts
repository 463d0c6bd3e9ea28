/**
 * Coalesces alert transitions and pushes them to the maps once per tick: `alert:raised` and
 * `alert:updated` with each alert's newest form. A tick that changes hundreds of alerts at once
 * (a rule that leaves half the county uncovered, a catch-up after downtime) sends one small
 * `alert:updated` with `reload: true` instead, and the maps reload GET /api/alerts.
 */
import type { AlertsBatch } from '../events.ts';
import type { AlertView } from './schemas.ts';
import type { ScriptResult, StoredAlert } from './alertScripts.ts';
import { TickFlusher } from '../live/coalescer.ts';

/** More changes than this in one tick: tell the maps to reload instead of sending them all. */
export const RELOAD_OVER = 500;

export class AlertBroadcaster extends TickFlusher {
  #raised = new Map<string, StoredAlert>();
  #updated = new Map<string, StoredAlert>();
  #overflow = 0;

  constructor(
    private readonly emit: (event: 'alert:raised' | 'alert:updated', batch: AlertsBatch) => void,
    private readonly toView: (alert: StoredAlert) => AlertView,
    private readonly now: () => number,
    tickMs: number,
  ) {
    super(tickMs);
  }

  /** Queues what a script did (already in Redis). */
  push(result: ScriptResult): void {
    const incoming = result.raisedCount + result.updatedCount;
    if (this.#overflow > 0 || this.#raised.size + this.#updated.size + incoming > RELOAD_OVER) {
      // Too many for one message: count them, do not even parse them.
      this.#overflow += this.#raised.size + this.#updated.size + incoming;
      this.#raised.clear();
      this.#updated.clear();
      return;
    }
    for (const a of result.raised) this.#raised.set(a.id, a);
    for (const a of result.updated) {
      if (this.#raised.has(a.id)) this.#raised.set(a.id, a);
      else this.#updated.set(a.id, a);
    }
  }

  flush(): void {
    const at = this.now();
    if (this.#overflow > 0) {
      this.#overflow = 0;
      this.emit('alert:updated', { alerts: [], reload: true, at });
      return;
    }
    if (this.#raised.size > 0) this.emit('alert:raised', { alerts: [...this.#raised.values()].map(this.toView), at });
    if (this.#updated.size > 0) this.emit('alert:updated', { alerts: [...this.#updated.values()].map(this.toView), at });
    this.#raised.clear();
    this.#updated.clear();
  }
}
