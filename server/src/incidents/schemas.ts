/** JSON schemas of the incident API: request bodies (errors name the field) and responses (extra fields dropped). */
import { Type as T } from '@sinclair/typebox';
import { DISPUTE_LEVELS, INCIDENT_ACTIONS, INCIDENT_CATEGORIES, INCIDENT_SOURCES, INCIDENT_STATES } from '@lianfang/geo';

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

export const StepSchema = T.Object({
  event: T.String(),
  state: State,
  by: T.String(),
  at: T.Number(),
  note: NullableString,
  teamId: T.Optional(NullableString),
  level: T.Optional(T.Union([literals(DISPUTE_LEVELS), T.Null()])),
});

export const IncidentSchema = T.Object({
  id: T.String(),
  reference: T.String(),
  category: Category,
  severity: T.Integer(),
  state: State,
  source: literals(INCIDENT_SOURCES),
  lon: T.Number(),
  lat: T.Number(),
  gridId: NullableString,
  townshipId: NullableString,
  address: NullableString,
  description: T.String(),
  reporter: T.Union([T.Object({ name: NullableString, phone: NullableString }), T.Null()]),
  teamId: NullableString,
  createdAt: T.Number(),
  updatedAt: T.Number(),
  acknowledged: T.Union([T.Object({ by: T.String(), at: T.Number() }), T.Null()]),
  due: T.Union([T.Object({ action: literals(INCIDENT_ACTIONS), at: T.Number() }), T.Null()]),
  disputeLevel: T.Union([literals(DISPUTE_LEVELS), T.Null()]),
  version: T.Integer(),
  history: T.Array(StepSchema),
});

export const IncidentsResponseSchema = T.Object({ incidents: T.Array(IncidentSchema), at: T.Number() });
export const IncidentActionSchema = T.Object({ incident: IncidentSchema, changed: T.Boolean() });

/** POST /api/incidents. lon/lat may be left out by a patrol (its latest position). */
export const CreateBody = T.Object({
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
export const DispatchBody = T.Object({ teamId: T.String({ minLength: 1, maxLength: 64 }), version: T.Integer({ minimum: 0 }), note: T.Optional(Note) });
export const EscalateBody = T.Object({ reason: T.String({ minLength: 1, maxLength: 500 }), note: T.Optional(Note) });

export const DisputeStatsQuery = T.Object({
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  townshipId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
});
export const DisputeStatsSchema = T.Object({
  from: T.Number(),
  to: T.Number(),
  rows: T.Array(T.Object({ level: literals(DISPUTE_LEVELS), cases: T.Integer(), settled: T.Integer(), successRate: T.Union([T.Number(), T.Null()]) })),
});

/* ---------- the public help form ---------- */

export const PublicHelpBody = T.Object({
  id: ClientId,
  gridId: T.String({ minLength: 1, maxLength: 64 }),
  category: T.Optional(literals(['help', 'dispute', 'safety_hazard', 'public_order', 'other'] as const)),
  description: T.String({ minLength: 4, maxLength: 500 }),
  name: T.Optional(T.String({ maxLength: 50 })),
  phone: Phone,
  lon: T.Optional(Lon),
  lat: T.Optional(Lat),
});

export const PublicHelpStatusSchema = T.Object({
  reference: T.String(),
  category: Category,
  state: State,
  createdAt: T.Number(),
  steps: T.Array(T.Object({ state: State, at: T.Number() })),
});

export const PublicGridSchema = T.Object({
  gridId: T.String(),
  gridName: T.String(),
  townshipName: T.String(),
  leader: T.Union([T.Object({ name: T.String(), phone: T.String() }), T.Null()]),
});
