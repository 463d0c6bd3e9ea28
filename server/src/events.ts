/**
 * The one typed Socket.IO event map, imported by the server and (as types) by the web app.
 * Event names read `domain:verb`. Acknowledgements are `{ data } | { error }`.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { Static } from '@sinclair/typebox';
import type { SessionUser } from './access/schemas.ts';

/** An event refused: the same fields as an HTTP 4xx body (`code` and `params` for the web to word). */
export interface AckError {
  message: string;
  field?: string;
  code?: string;
  params?: Record<string, string | number>;
}

export type Ack<T> = { data: T } | { error: AckError };

/** A coalesced batch of the latest positions since the previous tick (one entry per team at most). */
export interface TeamPositionsBatch {
  positions: TeamPosition[];
  /** Server time the batch was sent, epoch ms. */
  at: number;
}

export interface ServerToClientEvents {
  'team:positions': (batch: TeamPositionsBatch) => void;
  /**
   * To every socket of this process: Redis went down (a master failing over, a restart) or came
   * back. Live pushes are lost meanwhile, so a map shows "reconnecting" and reloads its snapshots
   * when `up` again. Sent on a change, and on connecting while Redis is down.
   */
  'system:store': (state: { up: boolean; at: number }) => void;
}

export interface ClientToServerEvents {
  /** Round-trip check; answers with server time. */
  'system:ping': (ack: (res: Ack<{ at: number }>) => void) => void;
}

export interface InterServerEvents {}

export interface SocketData {
  /** Set by the access layer from the handshake's session cookie; sockets without one are refused. */
  user: SessionUser;
  /** The scope rooms of the user's area (scope/rule.ts), resolved at the handshake and joined on connection. */
  scopeRooms?: string[];
  /** `user` is a read-only principal (a wall display), not a signed-in user: it sends nothing but pings. */
  readOnly?: boolean;
}

/**
 * Rooms the server uses. `dashboards` carries the shared county map (positions, team status,
 * coverage, alerts, assignments) to every viewer; the `scope:` rooms carry what is scoped to an
 * area (incidents, check-ins) to those allowed to see it (scope/rule.ts decides who joins which).
 */
export const ROOMS = {
  /** Every map that may see the whole county's live positions. */
  dashboards: 'dashboards',
  /** Those who see every incident and check-in in the county: admins, dispatchers, leaders. */
  county: 'scope:county',
} as const;
/** Coordinators whose organisation belongs to the township. */
export const townshipRoom = (townshipId: string) => `scope:township:${townshipId}`;
/** Coordinators of the organisation (its teams' incidents and check-ins). */
export const organisationRoom = (organisationId: string) => `scope:org:${organisationId}`;
/** A coordinator's own sockets, for the incidents they reported. */
export const reporterRoom = (username: string) => `scope:reporter:${username}`;
/**
 * A wall display's socket joins the `ro:` twin of each scope room instead: it hears the same
 * incidents without the resident who called (name, phone), as its HTTP reads do.
 */
export const readOnlyRoom = (room: string) => `ro:${room}`;

/* ---------- Coverage and alerts (interfaces below merge with the ones above) ---------- */
import type { AlertView } from './alerts/schemas.ts';
import type { LocationCoverageChange } from './coverage/schemas.ts';

/** Locations whose coverage changed since the previous message (coalesced per tick, newest state per location). */
export interface CoverageChangedBatch {
  changes: LocationCoverageChange[];
  /**
   * Requirements changed (a key period started or ended, the plan or the geography changed):
   * `changes` is empty, reload GET /api/coverage.
   */
  reload?: boolean;
  at: number;
}

/** Alerts raised, or changed (acknowledged, escalated, resolved, team sent), since the previous message. */
export interface AlertsBatch {
  alerts: AlertView[];
  /** Too many changed at once to send (over 500 in a tick): `alerts` is empty, reload GET /api/alerts. */
  reload?: boolean;
  at: number;
}

/** To a team's patrol sockets: the command centre asks it to go to a key location. */
export interface VisitRequest {
  locationId: string;
  name: string;
  lon: number;
  lat: number;
  /** Username of who sent it. */
  by: string;
  note: string | null;
  at: number;
}

export interface ServerToClientEvents {
  /** To dashboards. */
  'coverage:changed': (batch: CoverageChangedBatch) => void;
  /** To dashboards; level 2 (escalated) alerts are for leaders too, who are in `dashboards`. */
  'alert:raised': (batch: AlertsBatch) => void;
  'alert:updated': (batch: AlertsBatch) => void;
  /** To the team's room. */
  'coverage:send': (request: VisitRequest) => void;
}

/* ---------- Patrol tracking (interfaces below merge with the ones above) ---------- */
import type { CheckIn, CheckInResponse, CheckInSchema } from './checkins/schemas.ts';
import type { PositionsAccepted } from './tracking/schemas.ts';
import type { SosRequest } from './alerts/schemas.ts';
import type { FixSchema } from './tracking/schemas.ts';
import type { TeamStatus, TeamStatusChange } from './teams/schemas.ts';

/** Check-ins recorded since the previous message (automatic, explicit or by QR code). */
export interface TeamCheckInsBatch {
  checkIns: CheckIn[];
  at: number;
}

/** Teams whose derived status changed. */
export interface TeamStatusBatch {
  changes: TeamStatusChange[];
  at: number;
}

/** A fix as the patrol page sends it: epoch ms, degrees, m/s, metres (the schema the socket validates it with). */
export type PatrolFix = Static<typeof FixSchema>;

/** An explicit check-in (position within radius + accuracy) or a QR one (`code` scanned at the location). */
export type PatrolCheckIn = Static<typeof CheckInSchema>;

/** Ack of `patrol:checkin`: a rejection for distance carries the metres. */
export type CheckInAck = { data: CheckInResponse } | { error: AckError & { distance?: number; allowed?: number } };

export interface ServerToClientEvents {
  /** To the scope rooms of those who may see the check-in (its location's township, its team's) and to the team's own patrol sockets. */
  'team:checkins': (batch: TeamCheckInsBatch) => void;
  /** To dashboards and to the team's own patrol sockets. */
  'team:status': (batch: TeamStatusBatch) => void;
}

export interface ClientToServerEvents {
  /**
   * Patrol page → server, on `/patrol` (device identifier in `auth.device`) or on `/` (a signed-in
   * patrol account): 1–1000 fixes of the socket's own team. Acked once they are in Redis.
   */
  'patrol:position': (payload: { positions: PatrolFix[] }, ack: (res: Ack<PositionsAccepted>) => void) => void;
  'patrol:checkin': (payload: PatrolCheckIn, ack: (res: CheckInAck) => void) => void;
  /** Start or end the shift: `onDuty: false` shows the team off duty until its next fix. */
  'patrol:duty': (payload: { onDuty: boolean }, ack: (res: Ack<{ status: TeamStatus }>) => void) => void;
  /** SOS for the socket's own team: raised on every dashboard at once; one open SOS per team. */
  'patrol:sos': (payload: SosRequest, ack: (res: Ack<{ alertId: string; created: boolean }>) => void) => void;
}

export interface SocketData {
  /** Set on `/patrol` sockets authenticated by a device identifier (its team, and the identifier's hash to re-check revocation). */
  device?: { id: string; teamId: string; hash: string };
}

/** Room of one team's patrol sockets (on `/` and on `/patrol`). */
export const teamRoom = (teamId: string) => `team:${teamId}`;
/** Room of one device's sockets, disconnected when it is revoked. */
export const deviceRoom = (deviceId: string) => `device:${deviceId}`;
/** Namespace of the patrol page's socket. */
export const PATROL_NAMESPACE = '/patrol';

/** A key location of the patrol's own grids, for the patrol page's check-in list. */
export interface PatrolLocation {
  id: string;
  name: string;
  category: string;
  lon: number;
  lat: number;
  /** Check-in radius, metres. */
  radius: number;
}

/** Who the patrol socket reports for. */
export interface PatrolIdentity {
  teamId: string;
  callSign: string;
  /** The member the device is registered to; null for a signed-in patrol account. */
  memberName: string | null;
  deviceId: string | null;
  status: TeamStatus;
  locations: PatrolLocation[];
}

export interface ClientToServerEvents {
  /** The patrol page asks who it reports for, and the key locations of its team's grids. */
  'patrol:whoami': (ack: (res: Ack<PatrolIdentity>) => void) => void;
}

/* ---------- Incidents and dispatch (interfaces below merge with the ones above) ---------- */
import type { CreateIncidentBody, IncidentView } from './incidents/schemas.ts';
import type { Assignment } from './assignments/schemas.ts';

/** Incidents created or changed since the previous message (coalesced per tick, newest per incident). */
export interface IncidentsBatch {
  incidents: IncidentView[];
  at: number;
}

export interface AssignmentsBatch {
  /** Created or changed. */
  assignments: Assignment[];
  /** Ids removed. */
  removed: string[];
  at: number;
}

export interface ServerToClientEvents {
  /** To the scope rooms of those who may see the incident (its area, its team's organisation, its reporter). To a team's room: changes of incidents dispatched to it. */
  'incident:changed': (batch: IncidentsBatch) => void;
  /** To dashboards and the team's room. */
  'assignment:changed': (batch: AssignmentsBatch) => void;
}

/** A shift of the patrol's own team, named for the phone: when, and which grids and key locations. */
export interface PatrolShift {
  id: string;
  from: number;
  to: number;
  grids: { id: string; name: string }[];
  locations: { id: string; name: string }[];
  /** The handover note (交接班备注) the planner left, if any. */
  note?: string;
}

/** Ack of `patrol:shifts`: the team's shift in force at `at` and the next one to start, each null when there is none. */
export interface PatrolShifts {
  current: PatrolShift | null;
  next: PatrolShift | null;
  at: number;
}

export interface ClientToServerEvents {
  /** Patrol page (device link or patrol account): its own team's current and next shift. */
  'patrol:shifts': (ack: (res: Ack<PatrolShifts>) => void) => void;
}

export interface ClientToServerEvents {
  /** Patrol page: report an incident seen on patrol (lon/lat default to the team's latest fix). */
  'patrol:incident:report': (payload: CreateIncidentBody, ack: (res: Ack<{ incident: IncidentView; created: boolean }>) => void) => void;
  /** Patrol page: the open incidents dispatched to the socket's team. */
  'patrol:incidents': (ack: (res: Ack<{ incidents: IncidentView[] }>) => void) => void;
  /** Patrol page: accept, arrive (on scene), resolve or escalate an incident dispatched to its team. */
  'patrol:incident:step': (
    payload: { incidentId: string; action: 'accept' | 'arrive' | 'resolve' | 'escalate'; note?: string },
    ack: (res: Ack<{ incident: IncidentView; changed: boolean }>) => void,
  ) => void;
}

/* ---------- Orders (interfaces below merge with the ones above) ---------- */
import type { OrderView, PatrolOrder } from './orders/schemas.ts';

export interface OrdersBatch {
  orders: OrderView[];
  at: number;
}

export interface ServerToClientEvents {
  /** To the county room and the recipients' organisations' coordinators: an order sent or a receipt changed. */
  'order:updated': (batch: OrdersBatch) => void;
  /** To a recipient team's phones: a new order. */
  'order:new': (order: PatrolOrder) => void;
  /** To a recipient team's phones: its receipt changed (read elsewhere, arrived). */
  'order:changed': (order: PatrolOrder) => void;
}

export interface ClientToServerEvents {
  /** Patrol page: its team's open orders (unread, or go-to and not arrived), e.g. after reconnecting. */
  'patrol:orders': (ack: (res: Ack<{ orders: PatrolOrder[] }>) => void) => void;
  /** Patrol page: the phone has the order (stored before the ack). */
  'order:received': (payload: { orderId: string }, ack: (res: Ack<PatrolOrder>) => void) => void;
  /** Patrol page: a member tapped 收到 (stored before the ack). */
  'order:read': (payload: { orderId: string }, ack: (res: Ack<PatrolOrder>) => void) => void;
}

/* ---------- Major events (重大活动) ---------- */

import type { PatrolPost, PostCheckIn } from './majorEvents/schemas.ts';

export interface ClientToServerEvents {
  /** Patrol page: the posts its team is assigned to in events under way (on every connect). */
  'patrol:posts': (ack: (res: Ack<{ posts: PatrolPost[] }>) => void) => void;
  /** Patrol page: its team checks in at a post (client id: a retry counts once); stored before the ack. */
  'post:checkin': (payload: { id: string; eventId: string; postId: string }, ack: (res: Ack<PostCheckIn>) => void) => void;
}

export interface ServerToClientEvents {
  /** To dashboards: the event's board changed (a post's staffing, a check-in, an alert, created or cancelled): reload it. */
  'event:board': (news: { eventId: string; at: number }) => void;
}
