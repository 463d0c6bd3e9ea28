/**
 * The check-in API's shapes (签到), shared by the HTTP routes and the patrol socket. Types are
 * `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../schemaKit.ts';
import { ErrorSchema, type ErrorResponse } from '../plugins/errorSchema.ts';

/**
 * What the patrol page sends: an explicit check-in (position within radius + accuracy) or a QR one
 * (`code` scanned at the location). Either counts only with a position of the team the server
 * received near the location around `time` (checkins/evidence.ts).
 */
export const CheckInSchema = T.Object({
  /** Client-generated (e.g. crypto.randomUUID()), 8–64 of A–Z a–z 0–9 _ -: a retry with the same id never counts twice. */
  id: T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  /** Required unless `code` names it. */
  locationId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  /** The scanned QR code (`<locationId>.<generation>.<signature>`). */
  code: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
  /** When the patrol checked in, epoch ms: at most CHECKIN_OFFLINE_WINDOW_MIN ago. */
  time: T.Integer({ minimum: 0, maximum: 9_999_999_999_999 }),
  lon: T.Optional(T.Number({ minimum: -180, maximum: 180 })),
  lat: T.Optional(T.Number({ minimum: -90, maximum: 90 })),
  accuracy: T.Optional(T.Number({ minimum: 0, maximum: 100_000 })),
});
export type PatrolCheckIn = Static<typeof CheckInSchema>;

/** POST /api/checkins: a device names itself in `deviceId`; a signed-in patrol account leaves it out. */
export const NewCheckInBody = T.Intersect([T.Object({ deviceId: T.Optional(T.String({ minLength: 1, maxLength: 128 })) }), CheckInSchema]);

export const CHECK_IN_KINDS = ['auto', 'explicit', 'qr'] as const;
export type CheckInKind = (typeof CHECK_IN_KINDS)[number];

/** A check-in 签到 at a key location: automatic (dwell), explicit (patrol page) or by QR code. */
export const CheckInOut = T.Object({
  /** Client-generated for explicit and QR check-ins (a retry never counts twice); `auto-<location>-<since>` for automatic ones. */
  id: T.String(),
  teamId: T.String(),
  locationId: T.String(),
  kind: StringEnum(CHECK_IN_KINDS),
  /** When it happened (fix or client time), epoch ms. */
  time: T.Number(),
  lon: Nullable(T.Number()),
  lat: Nullable(T.Number()),
  accuracy: Nullable(T.Number()),
  /** Metres from the location (0 inside a polygon location); null for a QR check-in without a position. */
  distance: Nullable(T.Number()),
  /** Device id, or `user:<id>` for a signed-in patrol account. */
  by: T.String(),
  /** Server time it was recorded. */
  at: T.Number(),
});
export type CheckIn = Static<typeof CheckInOut>;

/** POST /api/checkins → 201 new, 200 when the id was already recorded (`duplicate`). */
export const CheckInResponseSchema = T.Object({ checkIn: CheckInOut, duplicate: T.Boolean() });
export type CheckInResponse = Static<typeof CheckInResponseSchema>;

/** 422 from POST /api/checkins: too far from the location carries `distance` and `allowed`; any other 422 (a bad time) only the error. */
export const CheckInUnprocessableSchema = T.Composite([
  ErrorSchema,
  T.Object({
    /** Metres from the location. */
    distance: T.Optional(T.Number()),
    /** Radius plus the fix's accuracy, metres. */
    allowed: T.Optional(T.Number()),
  }),
]);
/** The 422 (and the socket ack's error) when too far from the location. */
export type CheckInTooFar = ErrorResponse & Required<Pick<Static<typeof CheckInUnprocessableSchema>, 'distance' | 'allowed'>>;

/** GET /api/checkins?locationId=|teamId=&from=&to= */
export const CheckInsResponseSchema = T.Object({ checkIns: T.Array(CheckInOut), truncated: T.Boolean() });
export type CheckInsResponse = Static<typeof CheckInsResponseSchema>;
export const CheckInListQuery = T.Object({
  locationId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  teamId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  limit: T.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
});

/** GET /api/checkins/codes/:locationId: what to print on the QR code posted at the location (a new code once the current one expired). */
export const CheckInCodeSchema = T.Object({
  locationId: T.String(),
  code: T.String(),
  /** Patrol page URL with the code in the fragment: the QR code's content. */
  url: T.String(),
  generation: T.Integer(),
  /** When the code stops working (CHECKIN_QR_ROTATE_DAYS after it was issued), epoch ms; null when codes never expire. */
  expiresAt: Nullable(T.Integer()),
});
export type CheckInCodeResponse = Static<typeof CheckInCodeSchema>;
export const CheckInLocationParams = T.Object({ locationId: T.String({ minLength: 1, maxLength: 64 }) });
