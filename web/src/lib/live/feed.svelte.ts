/**
 * The map's one Socket.IO connection, shared by every live state (teams, coverage, alerts): its
 * connection status for the header, its events, and "reconnected" for the states to reload their
 * snapshots (messages sent while the socket was down are lost).
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import { reportUnauthorized } from '../api';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';
type EventName = keyof ServerToClientEvents;

/** Wait before reconnecting where Socket.IO won't by itself (see `start`). */
const RECONNECT_LATER_MS = 2_000;

export class LiveFeed {
  connection = $state<ConnectionStatus>('connecting');

  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #listeners = new Map<EventName, Set<(payload: never) => void>>();
  #reconnected = new Set<() => void>();
  #everConnected = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #clockOffset = 0;

  /** Calls `handler` with every `event`; works before and after `start`. Returns its removal. */
  on<E extends EventName>(event: E, handler: (payload: Parameters<ServerToClientEvents[E]>[0]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
      this.#bind(event);
    }
    set.add(handler as (payload: never) => void);
    return () => set.delete(handler as (payload: never) => void);
  }

  /** Calls `handler` after every reconnect (not the first connect). */
  onReconnect(handler: () => void): () => void {
    this.#reconnected.add(handler);
    return () => this.#reconnected.delete(handler);
  }

  start(): void {
    if (this.#socket) return;
    this.#stopped = false;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io' });
    this.#socket = socket;
    socket.on('connect', () => {
      this.connection = 'live';
      if (this.#everConnected) for (const handler of this.#reconnected) handler();
      this.#everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      this.connection = 'reconnecting';
      // A server shutting down (a restart) disconnects its sockets itself, and Socket.IO does not
      // reconnect after that on its own.
      if (reason === 'io server disconnect') this.#reconnectLater(socket);
    });
    // The server is up but its Redis is not (a master failing over): live pushes are lost until
    // it is back, so this reads as reconnecting, and its return as a reconnect (snapshots reload).
    socket.on('system:store', ({ up }) => {
      if (!up) this.connection = 'reconnecting';
      else if (socket.connected && this.connection === 'reconnecting') {
        this.connection = 'live';
        for (const handler of this.#reconnected) handler();
      }
    });
    socket.io.on('reconnect_attempt', () => {
      this.connection = 'reconnecting';
    });
    socket.on('connect_error', (error) => {
      // The handshake carries the session cookie; 'unauthorized' means it has ended ('display_revoked':
      // a wall display's registration has).
      if (error.message === 'unauthorized' || error.message === 'display_revoked') {
        reportUnauthorized();
        return;
      }
      if (this.#everConnected) this.connection = 'reconnecting';
      // Socket.IO retries transport failures itself, but not a refusal by the server's handshake
      // middleware ('unavailable' while its store comes back after a restart): retry that here.
      if (!socket.active) this.#reconnectLater(socket);
    });
    for (const event of this.#listeners.keys()) this.#bind(event);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#socket?.disconnect();
    this.#socket = null;
  }

  /**
   * Server clock minus ours, from the `at` of the latest message that had one (every batch does):
   * "late" and "3 minutes ago" then mean the server's, whichever feed spoke last.
   */
  get clockOffset(): number {
    return this.#clockOffset;
  }

  /** Records the server's time of a snapshot (an HTTP answer's `at`). */
  sawServerTime(at: number): void {
    this.#clockOffset = at - Date.now();
  }

  #bind(event: EventName): void {
    const socket = this.#socket;
    if (!socket) return;
    // One socket listener per event, fanning out to the handlers registered now or later.
    (socket as unknown as Socket).on(event, (payload: unknown) => {
      const at = (payload as { at?: unknown } | null)?.at;
      if (typeof at === 'number') this.#clockOffset = at - Date.now();
      for (const handler of this.#listeners.get(event) ?? []) handler(payload as never);
    });
  }

  #reconnectLater(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#stopped && !socket.connected) socket.connect();
    }, RECONNECT_LATER_MS);
  }
}
