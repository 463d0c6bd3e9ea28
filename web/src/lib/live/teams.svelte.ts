/**
 * Live patrol teams, keyed by id: the `GET /api/teams` snapshot, then `team:positions` and
 * `team:status` batches from the socket; the snapshot again after every reconnect, since batches
 * sent while disconnected are lost. The last few positions of each team are kept for its trail.
 */
import type { TeamPositionsBatch, TeamStatusBatch } from '@lianfang/server/events';
import type { TeamsResponse, TeamView } from '@lianfang/server/api';
import { getJson } from '../api';
import { preloadGlyphs } from '../map/fonts';
import type { ConnectionStatus, LiveFeed } from './feed.svelte';
import { SnapshotStore } from './snapshot-store.svelte';
import { applyPosition, applyStatus, countOnPatrol, extendTrail, mergeSnapshot, type TrailPoint } from './team-positions';

export type { ConnectionStatus };

/** An unknown team in a batch means the list changed: fetch it again, but not on every batch. */
const UNKNOWN_TEAM_RELOAD_MS = 10_000;

type TeamsDelta = { positions: TeamPositionsBatch } | { status: TeamStatusBatch };

export class TeamsState extends SnapshotStore<TeamView, TeamsDelta, TeamsResponse> {
  #trails = new Map<string, TrailPoint[]>();
  /** Server clock minus ours, so "3 minutes old" means the server's 3 minutes. */
  #clockOffset = 0;
  #lastUnknownReload = 0;
  /** Set by `merge` when a batch named a team the list does not hold. */
  #sawUnknown = false;

  constructor(feed: LiveFeed) {
    super(feed, 'Team snapshot failed');
  }

  /** The shared socket's status (the header shows it; the browser tests read it here). */
  get connection(): ConnectionStatus {
    return this.feed.connection;
  }

  get size(): number {
    void this.version;
    return this.items.size;
  }

  all(): IterableIterator<TeamView> {
    void this.version;
    return this.items.values();
  }

  /** Every team by id (read `version` to depend on it). */
  byId(): ReadonlyMap<string, TeamView> {
    void this.version;
    return this.items;
  }

  /** The last few positions of each team that moved since the page opened, oldest first. */
  trails(): ReadonlyMap<string, readonly TrailPoint[]> {
    void this.version;
    return this.#trails;
  }

  /** Now, on the server's clock. */
  now(localNow = Date.now()): number {
    return localNow + this.#clockOffset;
  }

  /** Teams on patrol by agency, for the header. */
  counts() {
    return countOnPatrol(this.all());
  }

  protected follow(feed: LiveFeed): (() => void)[] {
    return [feed.on('team:positions', (batch) => this.applyBatch(batch)), feed.on('team:status', (batch) => this.applyStatusBatch(batch))];
  }

  applyBatch(batch: TeamPositionsBatch): void {
    this.#clockOffset = batch.at - Date.now();
    this.#sawUnknown = false;
    this.receive([{ positions: batch }]);
    if (this.#sawUnknown && this.loaded && Date.now() - this.#lastUnknownReload > UNKNOWN_TEAM_RELOAD_MS) {
      this.#lastUnknownReload = Date.now();
      void this.reload();
    }
  }

  applyStatusBatch(batch: TeamStatusBatch): void {
    this.#clockOffset = batch.at - Date.now();
    this.receive([{ status: batch }]);
  }

  protected merge(into: Map<string, TeamView>, delta: TeamsDelta): boolean {
    let changed = false;
    if ('status' in delta) {
      for (const change of delta.status.changes) changed = applyStatus(into, change) || changed;
      return changed;
    }
    for (const position of delta.positions.positions) {
      const result = applyPosition(into, position);
      if (result === 'unknown') this.#sawUnknown = true;
      if (result !== 'applied') continue;
      changed = true;
      // Trails grow from the live list only: the same batch merged again into a snapshot on its way is not a new step.
      if (into === this.items) this.#trails.set(position.teamId, extendTrail(this.#trails.get(position.teamId), position));
    }
    return changed;
  }

  /** A position merges by its fix time; a status change carries no version, so only one sent after the snapshot applies. */
  protected override overtakes(delta: TeamsDelta, snapshot: TeamsResponse): boolean {
    return 'positions' in delta || delta.status.at > snapshot.at;
  }

  protected async fetchSnapshot(): Promise<TeamsResponse> {
    const snapshot = await getJson<TeamsResponse>('/api/teams');
    // Call signs are drawn as labels: fetch their font files first (see fonts.ts).
    await preloadGlyphs(
      snapshot.teams.map((team) => team.callSign),
      700,
    );
    return snapshot;
  }

  /** Keeps a position already held when it is newer than the snapshot's. */
  protected fromSnapshot(snapshot: TeamsResponse): Map<string, TeamView> {
    return mergeSnapshot(this.items, snapshot.teams);
  }

  protected override tookSnapshot(snapshot: TeamsResponse): void {
    this.#clockOffset = snapshot.at - Date.now();
    for (const id of this.#trails.keys()) if (!this.items.has(id)) this.#trails.delete(id);
  }
}
