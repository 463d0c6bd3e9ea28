/**
 * Live patrol teams, keyed by id: the HTTP snapshot, then `team:positions` and `team:status`
 * batches from the socket; the snapshot is loaded again after every reconnect, since batches sent
 * while disconnected are lost. The last few positions of each team are kept for its trail.
 */
import type { TeamPositionsBatch, TeamStatusBatch } from '@lianfang/server/events';
import type { TeamsResponse, TeamView } from '@lianfang/server/api';
import { getJson } from '../api';
import { preloadGlyphs } from '../map/fonts';
import type { ConnectionStatus, LiveFeed } from './feed.svelte';
import { applyPosition, applyStatus, countOnPatrol, extendTrail, mergeSnapshot, type TrailPoint } from './team-positions';

export type { ConnectionStatus };

/** An unknown team in a batch means the list changed: fetch it again, but not on every batch. */
const UNKNOWN_TEAM_RELOAD_MS = 10_000;
const SNAPSHOT_RETRY_MS = 5_000;

export class TeamsState {
  /** Not reactive itself (300 teams × 5 updates a second); `version` says when it changed. */
  #teams = new Map<string, TeamView>();
  /** Bumped on every change: read it to depend on the team list. */
  version = $state(0);
  /** Whether the snapshot has arrived at least once. */
  loaded = $state(false);
  /**
   * Whether the server derives each team's status (`TeamView.status`); when it doesn't, the map
   * works it out from the age of the latest fix and must look again as the clock ticks.
   */
  serverStatus = $state(true);
  #trails = new Map<string, TrailPoint[]>();

  /** Server clock minus ours, so "3 minutes old" means the server's 3 minutes. */
  #clockOffset = 0;
  #loading: Promise<void> | null = null;
  #lastUnknownReload = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: (() => void)[] = [];

  constructor(readonly feed: LiveFeed) {}

  /** The shared socket's status (the header shows it; the browser tests read it here). */
  get connection(): ConnectionStatus {
    return this.feed.connection;
  }

  get size(): number {
    void this.version;
    return this.#teams.size;
  }

  get(id: string): TeamView | undefined {
    void this.version;
    return this.#teams.get(id);
  }

  all(): IterableIterator<TeamView> {
    void this.version;
    return this.#teams.values();
  }

  /** Every team by id (read `version` to depend on it). */
  byId(): ReadonlyMap<string, TeamView> {
    void this.version;
    return this.#teams;
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

  counts(localNow: number) {
    return countOnPatrol(this.all(), this.now(localNow));
  }

  /** Loads the snapshot and follows the feed (the feed itself is started by its owner). */
  start(): void {
    this.#stopped = false;
    void this.reload();
    this.#unsubscribe.push(
      this.feed.on('team:positions', (batch) => this.applyBatch(batch)),
      this.feed.on('team:status', (batch) => this.applyStatusBatch(batch)),
      this.feed.onReconnect(() => void this.reload()),
    );
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  applyBatch(batch: TeamPositionsBatch): void {
    this.#clockOffset = batch.at - Date.now();
    let changed = false;
    let unknown = false;
    for (const position of batch.positions) {
      const result = applyPosition(this.#teams, position);
      if (result === 'applied') {
        changed = true;
        this.#trails.set(position.teamId, extendTrail(this.#trails.get(position.teamId), position));
      } else if (result === 'unknown') unknown = true;
    }
    if (changed) this.version++;
    if (unknown && this.loaded && Date.now() - this.#lastUnknownReload > UNKNOWN_TEAM_RELOAD_MS) {
      this.#lastUnknownReload = Date.now();
      void this.reload();
    }
  }

  applyStatusBatch(batch: TeamStatusBatch): void {
    this.#clockOffset = batch.at - Date.now();
    let changed = false;
    for (const change of batch.changes) changed = applyStatus(this.#teams, change) || changed;
    if (changed) this.version++;
  }

  /** Loads the snapshot; concurrent calls share one request. Retries until it succeeds. */
  reload(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    clearTimeout(this.#retryTimer);
    try {
      const snapshot = await getJson<TeamsResponse>('/api/teams');
      // Call signs are drawn as labels: fetch their font files first (see fonts.ts).
      await preloadGlyphs(
        snapshot.teams.map((team) => team.callSign),
        700,
      );
      if (this.#stopped) return;
      this.#clockOffset = snapshot.at - Date.now();
      this.#teams = mergeSnapshot(this.#teams, snapshot.teams);
      for (const id of this.#trails.keys()) if (!this.#teams.has(id)) this.#trails.delete(id);
      this.serverStatus = snapshot.teams.every((team) => team.status !== undefined);
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn('Team snapshot failed; retrying', error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    }
  }
}
