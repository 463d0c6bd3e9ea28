/**
 * The patrol page's link to the server: the `/patrol` socket (a device identifier in its auth, or
 * the session cookie), whether it is up, and why the server refused it. Socket.IO reconnects by
 * itself after a transport failure; this also comes back after the server cut the link, and
 * follows the browser's own online/offline events.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import type { PatrolAuth } from './ownerStorage';
import { RETRY_MS, connectRefusal, withAck, type PatrolRefusal } from './socketAck';

export type PatrolSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type PatrolConnection = 'connecting' | 'online' | 'offline' | 'refused';

export class PatrolLink {
  status = $state<PatrolConnection>('connecting');
  /** Why the server refused the socket, from its handshake error. */
  refusal = $state<PatrolRefusal | null>(null);

  #socket: PatrolSocket | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /**
   * @param onConnect called on every (re)connect: ask again what may have changed while away.
   * @param listen adds the server's events to a new socket.
   */
  constructor(
    private readonly auth: PatrolAuth,
    private readonly onConnect: () => void,
    private readonly listen: (socket: PatrolSocket) => void,
  ) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  get connected(): boolean {
    return this.#socket?.connected === true;
  }

  /** Connected, the browser online, and not stopped: worth emitting. */
  get canSend(): boolean {
    return !this.#stopped && this.#socket?.connected === true && navigator.onLine !== false;
  }

  /** Emits on the current socket with an acknowledgement; rejects when there is none or no answer comes in time. */
  request<T>(send: (socket: PatrolSocket, ack: (res: T) => void) => void): Promise<T> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new Error('no socket'));
    return withAck<T>((ack) => send(socket, ack));
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    if (navigator.onLine === false) this.status = 'offline';
  }

  stop(): void {
    this.#stopped = true;
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
    clearTimeout(this.#reconnectTimer);
    this.#socket?.disconnect();
    this.#socket = null;
  }

  #connect(): void {
    const socket: PatrolSocket = io('/patrol', {
      auth: this.auth.kind === 'device' ? { device: this.auth.identifier } : {},
      // Small backoff: a patrol walking out of a dead spot should be back within seconds.
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    this.#socket = socket;
    socket.on('connect', () => {
      this.status = 'online';
      this.refusal = null;
      this.onConnect();
    });
    socket.on('disconnect', (reason) => {
      if (this.status === 'refused') return;
      this.status = navigator.onLine === false ? 'offline' : 'connecting';
      // After the server cut us (a restart, a revoked device) Socket.IO does not come back by itself.
      if (reason === 'io server disconnect') this.#reconnectLater();
    });
    socket.on('connect_error', (error) => {
      const refusal = connectRefusal(error.message);
      if (refusal) {
        this.refusal = refusal;
        this.status = 'refused';
        socket.disconnect();
        return;
      }
      this.status = navigator.onLine === false ? 'offline' : 'connecting';
      // Transport failures are retried by Socket.IO; a refusal by the server's middleware
      // ('unavailable' while its store restarts) is not.
      if (!socket.active) this.#reconnectLater();
    });
    this.listen(socket);
  }

  #reconnectLater(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#stopped && this.status !== 'refused' && navigator.onLine !== false) this.#socket?.connect();
    }, RETRY_MS);
  }

  // The browser knows it has no network: say so at once rather than after a heartbeat timeout,
  // and don't hand Socket.IO packets it would buffer and send a second time.
  #onOffline = (): void => {
    if (this.status === 'refused') return;
    this.status = 'offline';
    this.#socket?.disconnect();
  };

  #onOnline = (): void => {
    if (this.status === 'refused' || this.#stopped) return;
    this.status = 'connecting';
    this.#socket?.connect();
  };
}
