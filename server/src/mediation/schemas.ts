/**
 * Shapes of the mediation records API (调解室 and their statistics): the rooms, the query and rows
 * of the statistics. Routes and who may call each: docs/api.md.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { DISPUTE_LEVELS, MEDIATION_OUTCOMES, MEDIATION_ROOM_KINDS } from '@lianfang/geo';
import { Nullable, StringEnum } from '../schemaKit.ts';

const literals = <S extends string>(values: readonly S[]) => T.Union(values.map((v) => T.Literal(v)));
const Id = T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Name = T.String({ minLength: 1, maxLength: 60 });

export const MediationRoomSchema = T.Object({
  id: T.String(),
  kind: StringEnum(MEDIATION_ROOM_KINDS),
  level: StringEnum(DISPUTE_LEVELS),
  name: T.String(),
  townshipId: Nullable(T.String()),
  villageId: Nullable(T.String()),
  trade: Nullable(T.String()),
});
export type MediationRoomView = Static<typeof MediationRoomSchema>;

/** GET /api/mediation/rooms */
export const RoomsResponseSchema = T.Object({ rooms: T.Array(MediationRoomSchema) });
export const RoomsQuery = T.Object({
  level: T.Optional(literals(DISPUTE_LEVELS)),
  townshipId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
});

/**
 * POST /api/mediation/rooms (201 new, 200 the same room again) and PUT /api/mediation/rooms/:id.
 * `id`: chosen by the client (a retry never makes two rooms). The level follows from the kind.
 */
export const RoomBody = T.Object({
  id: Id,
  kind: literals(MEDIATION_ROOM_KINDS),
  name: Name,
  townshipId: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 64 }))),
  villageId: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 64 }))),
  trade: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 30 }))),
});
export type RoomRequest = Static<typeof RoomBody>;
export const RoomUpdateBody = T.Omit(RoomBody, ['id']);
export const RoomParams = T.Object({ id: Id });
export const RoomResponseSchema = T.Object({ room: MediationRoomSchema, changed: T.Boolean() });

/** The mediation fields a dispute's resolve or escalate step may carry (all optional; a room needs a mediator). */
export const MediationFields = {
  /** The room or centre that handled it: its level must be the dispute's level now. */
  roomId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  /** 调解员 */
  mediator: T.Optional(T.String({ minLength: 1, maxLength: 50 })),
  /** Resolve: settled (default), not_settled, withdrawn; escalate: passed_up. */
  outcome: T.Optional(literals(MEDIATION_OUTCOMES)),
  /** 调解协议: the agreement reached, as text. */
  agreement: T.Optional(T.String({ maxLength: 2000 })),
};

export const MediationRecordSchema = T.Object({
  roomId: T.String(),
  room: T.String(),
  mediator: T.String(),
  outcome: StringEnum(MEDIATION_OUTCOMES),
  agreement: Nullable(T.String()),
});

export const MEDIATION_GROUP_BYS = ['room', 'township'] as const;
const Day = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a county day, YYYY-MM-DD' });

export const MediationStatsQuery = T.Object({
  from: Day,
  to: Day,
  groupBy: T.Optional(StringEnum(MEDIATION_GROUP_BYS)),
  /** Only the records of this township's disputes. */
  townshipId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  format: T.Optional(StringEnum(['json', 'csv', 'xlsx'])),
  lang: T.Optional(StringEnum(['zh', 'en'])),
});
export type MediationStatsQuery = Static<typeof MediationStatsQuery>;

const Count = T.Integer({ minimum: 0 });
export const MediationFiguresSchema = T.Object({
  /** Mediation records: resolve and pass-up steps that named this room. */
  records: Count,
  settled: Count,
  notSettled: Count,
  withdrawn: Count,
  passedUp: Count,
  /** Records with an agreement written down. */
  agreements: Count,
  /** settled / records, 0–1; null with none. */
  successRate: Nullable(T.Number()),
});
export const MediationStatsRowSchema = T.Composite([
  T.Object({
    key: T.String(),
    label: T.String(),
    /** Room rows: the room's kind and level (null when the room was since removed). */
    kind: Nullable(StringEnum(MEDIATION_ROOM_KINDS)),
    level: Nullable(StringEnum(DISPUTE_LEVELS)),
  }),
  MediationFiguresSchema,
]);
export type MediationStatsRow = Static<typeof MediationStatsRowSchema>;
/** GET /api/mediation/stats */
export const MediationStatsSchema = T.Object({
  from: T.String(),
  to: T.String(),
  groupBy: StringEnum(MEDIATION_GROUP_BYS),
  county: T.String(),
  rows: T.Array(MediationStatsRowSchema),
  total: MediationStatsRowSchema,
  at: T.Number(),
});
export type MediationStats = Static<typeof MediationStatsSchema>;
