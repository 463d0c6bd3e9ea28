/**
 * Live patrol teams, keyed by id: the HTTP snapshot, then `team:positions` batches from the socket;
 * the snapshot is loaded again after every reconnect, since batches sent while disconnected are lost.
 */
import { io, type Socket } from 'socket.io-client';
import type { TeamPositionsBatch, ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import type { TeamsResponse, TeamView } from '@lianfang/server/api';
import { getJson, reportUnauthorized } from '../api';
import { preloadGlyphs } from '../map/fonts';
import { applyPosition, countOnPatrol, mergeSnapshot } from './team-positions';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/** An unknown team in a batch means the list changed: fetch it again, but not on every batch. */
const UNKNOWN_TEAM_RELOAD_MS = 10_000;
const SNAPSHOT_RETRY_MS = 5_000;
/** Wait before reconnecting where Socket.IO won't by itself (see `start`). */
const RECONNECT_LATER_MS = 2_000;

export class TeamsState {
  /** Not reactive itself (300 teams × 5 updates a second); `version` says when it changed. */
  #teams = new Map<string, TeamView>();
  /** Bumped on every change: read it to depend on the team list. */
  version = $state(0);
  connection = $state<ConnectionStatus>('connecting');
  /** Whether the snapshot has arrived at least once. */
  loaded = $state(false);

  /** Server clock minus ours, so "3 minutes old" means the server's 3 minutes. */
  #clockOffset = 0;
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #everConnected = false;
  #loading: Promise<void> | null = null;
  #lastUnknownReload = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

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

  /** Now, on the server's clock. */
  now(localNow = Date.now()): number {
    return localNow + this.#clockOffset;
  }

  counts(localNow: number) {
    return countOnPatrol(this.all(), this.now(localNow));
  }

  start(): void {
    this.#stopped = false;
    void this.reload();
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io' });
    this.#socket = socket;
    socket.on('connect', () => {
      this.connection = 'live';
      if (this.#everConnected) void this.reload();
      this.#everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      this.connection = 'reconnecting';
      // A server shutting down (a restart) disconnects its sockets itself, and Socket.IO does not
      // reconnect after that on its own.
      if (reason === 'io server disconnect') this.#reconnectLater(socket);
    });
    socket.io.on('reconnect_attempt', () => {
      this.connection = 'reconnecting';
    });
    socket.on('connect_error', (error) => {
      // The handshake carries the session cookie; 'unauthorized' means it has ended.
      if (error.message === 'unauthorized') {
        reportUnauthorized();
        return;
      }
      if (this.#everConnected) this.connection = 'reconnecting';
      // Socket.IO retries transport failures itself, but not a refusal by the server's handshake
      // middleware ('unavailable' while its store comes back after a restart): retry that here.
      if (!socket.active) this.#reconnectLater(socket);
    });
    socket.on('team:positions', (batch) => this.applyBatch(batch));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#reconnectTimer);
    this.#socket?.disconnect();
    this.#socket = null;
  }

  #reconnectLater(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#stopped && !socket.connected) socket.connect();
    }, RECONNECT_LATER_MS);
  }

  applyBatch(batch: TeamPositionsBatch): void {
    this.#clockOffset = batch.at - Date.now();
    let changed = false;
    let unknown = false;
    for (const position of batch.positions) {
      const result = applyPosition(this.#teams, position);
      if (result === 'applied') changed = true;
      else if (result === 'unknown') unknown = true;
    }
    if (changed) this.version++;
    if (unknown && this.loaded && Date.now() - this.#lastUnknownReload > UNKNOWN_TEAM_RELOAD_MS) {
      this.#lastUnknownReload = Date.now();
      void this.reload();
    }
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
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn('Team snapshot failed; retrying', error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    }
  }
}
