/**
 * The incident API's shapes (事件/警情), one schema each: request bodies (errors name the field)
 * and responses (extra fields dropped). Types are `Static<typeof …>`; the web imports them.
 * Routes and who may call each: docs/api.md and the OpenAPI page at /api/docs.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { DISPUTE_LEVELS, INCIDENT_ACTIONS, INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, INCIDENT_SOURCES, INCIDENT_STATES } from '@lianfang/geo';
import { IntegerEnum, StringEnum } from '../schemaKit.ts';
import { MediationFields, MediationRecordSchema } from '../mediation/schemas.ts';

const literals = <S extends string>(values: readonly S[]) => T.Union(values.map((v) => T.Literal(v)));
const NullableString = T.Union([T.String(), T.Null()]);

export const ClientId = T.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' });
export const Category = literals(INCIDENT_CATEGORIES);
export const State = literals(INCIDENT_STATES);
export const Severity = T.Union([T.Literal(1), T.Literal(2), T.Literal(3)]);
/** A mainland mobile (13812345678) or a landline with its area code (0527-88881234). */
export const PHONE_PATTERN = '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$';
export const Phone = T.String({ pattern: PHONE_PATTERN });
export const Lon = T.Number({ minimum: -180, maximum: 180 });
export const Lat = T.Number({ minimum: -90, maximum: 90 });
export const Note = T.String({ maxLength: 500 });

/** One step of an incident's history. */
export const StepSchema = T.Object({
  /** 'created', an action, or 'acknowledged' (a dispatcher saw it: the marker stops pulsing). */
  event: StringEnum(['created', 'acknowledged', ...INCIDENT_ACTIONS]),
  state: State,
  by: T.String(),
  at: T.Number(),
  note: NullableString,
  teamId: T.Optional(NullableString),
  level: T.Optional(T.Union([literals(DISPUTE_LEVELS), T.Null()])),
  /** Disputes' resolve and escalate: the room that mediated, the mediator, the outcome, the agreement. */
  mediation: T.Optional(T.Union([MediationRecordSchema, T.Null()])),
});

export const IncidentSchema = T.Object({
  id: T.String(),
  /** The public reference number (查询号) the resident keeps; unguessable, e.g. `SY7K3M9Q2X`. */
  reference: T.String(),
  category: Category,
  severity: IntegerEnum(INCIDENT_SEVERITIES),
  state: State,
  source: literals(INCIDENT_SOURCES),
  lon: T.Number(),
  lat: T.Number(),
  /** Found from the point; null outside every grid. */
  gridId: NullableString,
  townshipId: NullableString,
  address: NullableString,
  description: T.String(),
  /** Null when the reporter left none (a patrol's own report). */
  reporter: T.Union([T.Object({ name: NullableString, phone: NullableString }), T.Null()]),
  /** The team it is dispatched to (kept after resolution). */
  teamId: NullableString,
  createdAt: T.Number(),
  updatedAt: T.Number(),
  /** Someone on the command map saw it (new incidents pulse until then). */
  acknowledged: T.Union([T.Object({ by: T.String(), at: T.Number() }), T.Null()]),
  /** The next step's time limit, if any: late once `at` has passed. */
  due: T.Union([T.Object({ action: literals(INCIDENT_ACTIONS), at: T.Number() }), T.Null()]),
  /** Disputes only: the mediation level now. */
  disputeLevel: T.Union([literals(DISPUTE_LEVELS), T.Null()]),
  /** Bumped by every change; dispatch sends the version it saw. */
  version: T.Integer(),
  /** Every step, oldest first. */
  history: T.Array(StepSchema),
});
export type IncidentView = Static<typeof IncidentSchema>;

/** GET /api/incidents: newest first. */
export const IncidentsResponseSchema = T.Object({ incidents: T.Array(IncidentSchema), at: T.Number() });
export type IncidentsResponse = Static<typeof IncidentsResponseSchema>;
/** Every action answers the incident after the change (`changed` false for a repeated request). */
export const IncidentActionSchema = T.Object({ incident: IncidentSchema, changed: T.Boolean() });
export type IncidentActionResponse = Static<typeof IncidentActionSchema>;

/** POST /api/incidents (201 new, 200 a retry of the same client id). lon/lat may be left out by a patrol (its latest position). */
export const CreateBody = T.Object({
  /** Client-generated, 8–64 of A–Z a–z 0–9 _ -: a retry never makes two incidents. */
  id: ClientId,
  category: Category,
  severity: T.Optional(Severity),
  lon: T.Optional(Lon),
  lat: T.Optional(Lat),
  address: T.Optional(T.String({ maxLength: 200 })),
  description: T.String({ minLength: 1, maxLength: 2000 }),
  reporterName: T.Optional(T.String({ maxLength: 50 })),
  reporterPhone: T.Optional(Phone),
});
/** What POST /api/incidents (and the patrol socket's report) takes: lon/lat left out by a patrol mean its latest fix. */
export type CreateIncidentBody = Static<typeof CreateBody>;
/** A report with its point known (severity defaults by category: help 1, dispute 3, others 2). */
export type CreateIncidentRequest = CreateIncidentBody & { lon: number; lat: number };

export const ListQuery = T.Object({
  state: T.Optional(State),
  category: T.Optional(Category),
  townshipId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  q: T.Optional(T.String({ maxLength: 100 })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })),
});

export const IdParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });
export const NoteBody = T.Object({ note: T.Optional(Note) });
/** `version`: the one the dispatcher saw; another change first answers 409. */
export const DispatchBody = T.Object({ teamId: T.String({ minLength: 1, maxLength: 64 }), version: T.Integer({ minimum: 0 }), note: T.Optional(Note) });
export type DispatchRequest = Static<typeof DispatchBody>;
export const EscalateBody = T.Object({ reason: T.String({ minLength: 1, maxLength: 500 }), note: T.Optional(Note), ...MediationFields });
/** POST /api/incidents/:id/resolve: a note; a dispute may record its mediation (room, mediator, outcome, agreement). */
export const IncidentResolveBody = T.Object({ note: T.Optional(Note), ...MediationFields });

export const DisputeStatsQuery = T.Object({
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  townshipId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
});
export const DisputeStatsRowSchema = T.Object({
  level: literals(DISPUTE_LEVELS),
  /** Disputes that reached this level in the window. */
  cases: T.Integer(),
  /** Resolved at this level. */
  settled: T.Integer(),
  /** settled / cases, 0–1; null with no cases. */
  successRate: T.Union([T.Number(), T.Null()]),
});
export type DisputeStatsRow = Static<typeof DisputeStatsRowSchema>;
/** GET /api/disputes/stats */
export const DisputeStatsSchema = T.Object({ from: T.Number(), to: T.Number(), rows: T.Array(DisputeStatsRowSchema) });
export type DisputeStatsResponse = Static<typeof DisputeStatsSchema>;

/* ---------- the public help form ---------- */

/** POST /api/public/help */
export const PublicHelpBody = T.Object({
  /** Client-generated, as above: pressing send twice makes one request. */
  id: ClientId,
  gridId: T.String({ minLength: 1, maxLength: 64 }),
  category: T.Optional(literals(['help', 'dispute', 'safety_hazard', 'public_order', 'other'] as const)),
  description: T.String({ minLength: 4, maxLength: 500 }),
  name: T.Optional(T.String({ maxLength: 50 })),
  phone: Phone,
  lon: T.Optional(Lon),
  lat: T.Optional(Lat),
});
export type PublicHelpRequest = Static<typeof PublicHelpBody>;

/** POST /api/public/help → 201; GET /api/public/help/:reference → 200. */
export const PublicHelpStatusSchema = T.Object({
  reference: T.String(),
  category: Category,
  state: State,
  createdAt: T.Number(),
  /** State changes, oldest first: no names, no phones. */
  steps: T.Array(T.Object({ state: State, at: T.Number() })),
});
export type PublicHelpStatus = Static<typeof PublicHelpStatusSchema>;

/** GET /api/public/grids/:gridId */
export const PublicGridSchema = T.Object({
  gridId: T.String(),
  gridName: T.String(),
  townshipName: T.String(),
  leader: T.Union([T.Object({ name: T.String(), phone: T.String() }), T.Null()]),
});
export type PublicGridResponse = Static<typeof PublicGridSchema>;
export const PublicGridParams = T.Object({ gridId: T.String({ minLength: 1, maxLength: 64 }) });
export const PublicReferenceParams = T.Object({ reference: T.String({ minLength: 1, maxLength: 32 }) });
