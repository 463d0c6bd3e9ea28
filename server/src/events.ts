/**
 * The one typed Socket.IO event map, imported by the server and (as types) by the web app.
 * Event names read `domain:verb`. Acknowledgements are `{ data } | { error }`.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { SessionUser } from './access/roles.ts';

export type Ack<T> = { data: T } | { error: { message: string; field?: string } };

/** A coalesced batch of the latest positions since the previous tick (one entry per team at most). */
export interface TeamPositionsBatch {
  positions: TeamPosition[];
  /** Server time the batch was sent, epoch ms. */
  at: number;
}

export interface ServerToClientEvents {
  'team:positions': (batch: TeamPositionsBatch) => void;
}

export interface ClientToServerEvents {
  /** Round-trip check; answers with server time. */
  'system:ping': (ack: (res: Ack<{ at: number }>) => void) => void;
}

export interface InterServerEvents {}

export interface SocketData {
  /** Set by the access layer from the handshake's session cookie; sockets without one are refused. */
  user: SessionUser;
}

/** Rooms the server uses. */
export const ROOMS = {
  /** Every map that may see the whole county's live positions. */
  dashboards: 'dashboards',
} as const;
