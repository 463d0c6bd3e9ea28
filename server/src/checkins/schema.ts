/** JSON schemas of check-ins, shared by the HTTP route and the patrol socket. */
import { Type as T } from '@sinclair/typebox';

/** What the patrol page sends (see PatrolCheckIn in events.ts). */
export const CheckInSchema = T.Object({
  id: T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  locationId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  code: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
  time: T.Integer({ minimum: 0, maximum: 9_999_999_999_999 }),
  lon: T.Optional(T.Number({ minimum: -180, maximum: 180 })),
  lat: T.Optional(T.Number({ minimum: -90, maximum: 90 })),
  accuracy: T.Optional(T.Number({ minimum: 0, maximum: 100_000 })),
});

const NullableNumber = T.Union([T.Number(), T.Null()]);
/** A recorded check-in (CheckIn in api.ts). */
export const CheckInOut = T.Object({
  id: T.String(),
  teamId: T.String(),
  locationId: T.String(),
  kind: T.String(),
  time: T.Number(),
  lon: NullableNumber,
  lat: NullableNumber,
  accuracy: NullableNumber,
  distance: NullableNumber,
  by: T.String(),
  at: T.Number(),
});
