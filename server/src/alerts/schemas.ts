/** JSON schemas of the alert API's responses (fast serialisation; extra fields dropped). */
import { Type as T } from '@sinclair/typebox';

const NullableNumber = T.Union([T.Number(), T.Null()]);
const NullableString = T.Union([T.String(), T.Null()]);

export const AlertSchema = T.Object({
  id: T.String(),
  kind: T.String(),
  state: T.String(),
  level: T.Integer(),
  locationId: NullableString,
  teamId: NullableString,
  incidentId: NullableString,
  title: T.String(),
  townshipId: NullableString,
  gridId: NullableString,
  at: T.Number(),
  raisedAt: T.Number(),
  deadline: NullableNumber,
  lon: NullableNumber,
  lat: NullableNumber,
  note: NullableString,
  acknowledged: T.Union([T.Object({ by: T.String(), at: T.Number(), note: NullableString }), T.Null()]),
  resolved: T.Union([T.Object({ by: T.String(), at: T.Number(), reason: T.String(), note: NullableString }), T.Null()]),
  escalatedAt: NullableNumber,
  sent: T.Union([T.Object({ teamId: T.String(), by: T.String(), at: T.Number(), locationId: T.Union([T.String(), T.Null()]) }), T.Null()]),
  history: T.Array(T.Object({ event: T.String(), by: T.String(), at: T.Number(), note: NullableString })),
});

export const AlertsResponseSchema = T.Object({ alerts: T.Array(AlertSchema), at: T.Number() });
export const AlertActionSchema = T.Object({ alert: AlertSchema, changed: T.Boolean() });
export const AlertLogSchema = T.Object({
  entries: T.Array(
    T.Object({
      id: T.String(),
      alertId: T.String(),
      kind: T.String(),
      subject: T.String(),
      event: T.String(),
      level: T.Integer(),
      state: T.String(),
      by: T.String(),
      note: T.String(),
      at: T.Number(),
    }),
  ),
  before: NullableString,
});
