/**
 * Live coverage of the key locations, keyed by location id: the `GET /api/coverage` snapshot, then
 * `coverage:changed` deltas; the snapshot again after a reconnect (deltas sent meanwhile are lost)
 * and when the requirements changed (a key period started or ended: a batch with `reload`).
 */
import type { ActivePeriod, CoverageSnapshot, PlanWarning } from '@lianfang/server/api';
import type { CoverageChangedBatch } from '@lianfang/server/events';
import { getJson } from '../api';
import type { LiveFeed } from './feed.svelte';
import { applyChanges, fromSnapshot, type LocationCoverage } from './coverage';
import { SnapshotStore } from './snapshot-store.svelte';

export class LiveCoverage extends SnapshotStore<LocationCoverage, CoverageChangedBatch, CoverageSnapshot> {
  activePeriods = $state.raw<ActivePeriod[]>([]);
  warnings = $state.raw<PlanWarning[]>([]);

  constructor(feed: LiveFeed) {
    super(feed, 'Coverage snapshot failed');
  }

  /** Every location's coverage (read `version` to depend on it). */
  all(): ReadonlyMap<string, LocationCoverage> {
    void this.version;
    return this.items;
  }

  protected follow(feed: LiveFeed): (() => void)[] {
    return [feed.on('coverage:changed', (batch) => this.applyBatch(batch))];
  }

  applyBatch(batch: CoverageChangedBatch): void {
    if (batch.reload) void this.reloadNewer();
    else this.receive([batch]);
  }

  protected merge(into: Map<string, LocationCoverage>, batch: CoverageChangedBatch): boolean {
    return applyChanges(into, batch.changes);
  }

  /** A change replaces what is held (it carries no version): only batches sent after the snapshot apply to it. */
  protected override overtakes(batch: CoverageChangedBatch, snapshot: CoverageSnapshot): boolean {
    return batch.at > snapshot.at;
  }

  protected fetchSnapshot(): Promise<CoverageSnapshot> {
    return getJson<CoverageSnapshot>('/api/coverage');
  }

  protected fromSnapshot(snapshot: CoverageSnapshot): Map<string, LocationCoverage> {
    return fromSnapshot(snapshot);
  }

  protected override tookSnapshot(snapshot: CoverageSnapshot): void {
    this.activePeriods = snapshot.activePeriods;
    this.warnings = snapshot.warnings;
  }
}
