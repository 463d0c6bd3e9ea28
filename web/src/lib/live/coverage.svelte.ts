/**
 * Live coverage of the key locations, keyed by location id: the `GET /api/coverage` snapshot, then
 * `coverage:changed` deltas; the snapshot again after a reconnect (deltas sent meanwhile are lost).
 */
import type { ActivePeriod, CoverageSnapshot, PlanWarning } from '@lianfang/server/api';
import type { CoverageChangedBatch } from '@lianfang/server/events';
import { getJson } from '../api';
import type { LiveFeed } from './feed.svelte';
import { applyChanges, fromSnapshot, type LocationCoverage } from './coverage';

const SNAPSHOT_RETRY_MS = 5_000;

export class LiveCoverage {
  /** Not reactive itself (5,000 locations); `version` says when it changed. */
  #states = new Map<string, LocationCoverage>();
  version = $state(0);
  loaded = $state(false);
  activePeriods = $state.raw<ActivePeriod[]>([]);
  warnings = $state.raw<PlanWarning[]>([]);

  #loading: Promise<void> | null = null;
  /** Deltas that arrived while a snapshot was on its way: the ones newer than it are applied on top. */
  #pending: CoverageChangedBatch[] | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: (() => void)[] = [];

  constructor(readonly feed: LiveFeed) {}

  get(id: string): LocationCoverage | undefined {
    void this.version;
    return this.#states.get(id);
  }

  /** Every location's coverage (read `version` to depend on it). */
  all(): ReadonlyMap<string, LocationCoverage> {
    void this.version;
    return this.#states;
  }

  start(): void {
    this.#stopped = false;
    void this.reload();
    this.#unsubscribe.push(
      this.feed.on('coverage:changed', (batch) => this.applyBatch(batch)),
      this.feed.onReconnect(() => void this.reload()),
    );
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  applyBatch(batch: CoverageChangedBatch): void {
    this.#pending?.push(batch);
    if (applyChanges(this.#states, batch.changes)) this.version++;
  }

  reload(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#pending = [];
    try {
      const snapshot = await getJson<CoverageSnapshot>('/api/coverage');
      if (this.#stopped) return;
      const states = fromSnapshot(snapshot);
      for (const batch of this.#pending) if (batch.at > snapshot.at) applyChanges(states, batch.changes);
      this.#states = states;
      this.activePeriods = snapshot.activePeriods;
      this.warnings = snapshot.warnings;
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn('Coverage snapshot failed; retrying', error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    } finally {
      this.#pending = null;
    }
  }
}
