/**
 * The alert API's shapes (告警), one schema each: the routes validate and serialise with them
 * (extra fields dropped), the types are `Static<typeof …>`, and the web imports those types.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { INCIDENT_ACTIONS } from '@lianfang/geo';
import { IntegerEnum, Nullable, StringEnum } from '../schemaKit.ts';

/**
 * uncovered key locations 未覆盖 and due soon 即将超时 (one alert per township: subject = the
 * township id, `locationId` null; which of its locations are in that state is the live coverage),
 * team offline while on duty, team outside its grids, SOS, an incident's step late (事件超时:
 * subject = the incident id), a team on duty whose phone's battery runs low (电量低: subject = the
 * team id; BATTERY_LOW_PERCENT), an order a recipient team has not read in time (指令未读: subject =
 * "team id/order id"; ORDER_UNREAD_ALERT_MIN; resolved when the team reads it), a team assigned to a
 * major event's post away from it longer than POST_LEFT_GRACE_S after arriving (离岗: subject =
 * "event id/post id/team id"; resolved when it is back).
 */
export const ALERT_KINDS = ['uncovered', 'due_soon', 'team_offline', 'team_outside', 'sos', 'incident_late', 'battery_low', 'order_unread', 'post_left'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** raised → acknowledged (确认) → resolved. */
export const ALERT_STATES = ['raised', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const ALERT_EVENTS = ['raised', 'acknowledged', 'escalated', 'resolved', 'sent'] as const;

const Level = IntegerEnum([1, 2], { description: '2 once nobody acknowledged it within ESCALATE_AFTER_MIN: leaders see those' });

export const AlertSchema = T.Object({
  id: T.String(),
  kind: StringEnum(ALERT_KINDS),
  state: StringEnum(ALERT_STATES),
  level: Level,
  locationId: Nullable(T.String()),
  teamId: Nullable(T.String()),
  /** The incident a late-step alert (`incident_late`) is about; null for every other kind. */
  incidentId: Nullable(T.String()),
  /** The step an `incident_late` alert is about (accept, arrive…); null for every other kind. */
  step: Nullable(StringEnum(INCIDENT_ACTIONS)),
  /** The order an `order_unread` alert is about; null for every other kind. */
  orderId: Nullable(T.String()),
  /** Location name, township name (coverage alerts), team call sign or the incident's address. */
  title: T.String(),
  townshipId: Nullable(T.String()),
  gridId: Nullable(T.String()),
  /** When the condition began (the deadline that passed, when the team went offline), epoch ms. */
  at: T.Number(),
  /** When the alert was raised (later than `at` after a restart caught up). */
  raisedAt: T.Number(),
  deadline: Nullable(T.Number()),
  lon: Nullable(T.Number()),
  lat: Nullable(T.Number()),
  note: Nullable(T.String()),
  acknowledged: Nullable(T.Object({ by: T.String(), at: T.Number(), note: Nullable(T.String()) })),
  resolved: Nullable(T.Object({ by: T.String(), at: T.Number(), reason: T.String(), note: Nullable(T.String()) })),
  escalatedAt: Nullable(T.Number()),
  /** The latest team sent; for a township's coverage alert, to which of its locations. */
  sent: Nullable(T.Object({ teamId: T.String(), by: T.String(), at: T.Number(), locationId: Nullable(T.String()) })),
  /** Every transition, oldest first: raised, acknowledged, escalated, sent, resolved. */
  history: T.Array(T.Object({ event: StringEnum(ALERT_EVENTS), by: T.String(), at: T.Number(), note: Nullable(T.String()) })),
});
export type AlertView = Static<typeof AlertSchema>;

/** GET /api/alerts: most urgent first (level, kind, unacknowledged first, oldest first). */
export const AlertsResponseSchema = T.Object({ alerts: T.Array(AlertSchema), at: T.Number() });
export type AlertsResponse = Static<typeof AlertsResponseSchema>;

/** POST /api/alerts/:id/acknowledge, /resolve → 200 (also when it already was: `changed` false). */
export const AlertActionSchema = T.Object({ alert: AlertSchema, changed: T.Boolean() });
export type AlertActionResponse = Static<typeof AlertActionSchema>;

/** One transition in the alert record (alerts:log). */
export const AlertLogEntrySchema = T.Object({
  /** Stream entry id: pass as `before` to page back. */
  id: T.String(),
  alertId: T.String(),
  kind: StringEnum(ALERT_KINDS),
  subject: T.String(),
  event: StringEnum(ALERT_EVENTS),
  level: Level,
  state: StringEnum(ALERT_STATES),
  by: T.String(),
  note: T.String(),
  at: T.Number(),
});
export type AlertLogEntry = Static<typeof AlertLogEntrySchema>;

/** GET /api/alerts/log?before=&limit= : newest first. */
export const AlertLogSchema = T.Object({
  entries: T.Array(AlertLogEntrySchema),
  /** Pass as `before` for the previous page; null at the beginning. */
  before: Nullable(T.String()),
});
export type AlertLogResponse = Static<typeof AlertLogSchema>;

/* ---------- requests ---------- */

const Note = T.String({ maxLength: 500 });
export const AlertIdParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });
/** GET /api/alerts?state=open|resolved|all&kind=&level=&townshipId=&limit= */
export const AlertListQuery = T.Object({
  state: T.Optional(T.Union([T.Literal('open'), T.Literal('resolved'), T.Literal('all')])),
  kind: T.Optional(T.Union(ALERT_KINDS.map((k) => T.Literal(k)))),
  level: T.Optional(T.Union([T.Literal(1), T.Literal(2)])),
  townshipId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 5000 })),
});
export const AlertLogQuery = T.Object({ before: T.Optional(T.String({ pattern: '^\\d+-\\d+$' })), limit: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })) });
export const AcknowledgeBody = T.Object({ note: T.Optional(Note) });
export const ResolveBody = T.Object({ reason: T.String({ minLength: 1, maxLength: 200 }), note: T.Optional(Note) });

/** POST /api/alerts/sos and the patrol socket's `patrol:sos`: the team's own SOS, where it is if known. */
export const SosBody = T.Object({
  lon: T.Optional(T.Number({ minimum: -180, maximum: 180 })),
  lat: T.Optional(T.Number({ minimum: -90, maximum: 90 })),
  note: T.Optional(Note),
});
export type SosRequest = Static<typeof SosBody>;
