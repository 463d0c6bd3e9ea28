/**
 * The patrol assignment API's shapes (排班): a team on grids and key locations for a shift. Types
 * are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { AGENCIES } from '@lianfang/geo';
import { ClientId } from '../incidents/schemas.ts';
import { StringEnum } from '../schemaKit.ts';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Time = T.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });
/** A handover note (交接班备注): what the next team must know. */
const Note = T.String({ maxLength: 500 });

/** A patrol assignment (排班): a team on grids and key locations for a shift. */
export const AssignmentSchema = T.Object({
  id: T.String(),
  teamId: T.String(),
  gridIds: T.Array(T.String()),
  locationIds: T.Array(T.String()),
  from: T.Number(),
  to: T.Number(),
  /** Handover note (交接班备注) for the team, shown on its phone. */
  note: T.Optional(T.String()),
  /** The bulk batch (client id) that made it, if one did. */
  batch: T.Optional(T.String()),
  /** Username of who made it. */
  by: T.String(),
  createdAt: T.Number(),
  /** Username and time of the latest edit. */
  editedBy: T.Optional(T.String()),
  editedAt: T.Optional(T.Number()),
});
export type Assignment = Static<typeof AssignmentSchema>;

/** GET /api/assignments?teamId=&at= */
export const AssignmentsResponseSchema = T.Object({ assignments: T.Array(AssignmentSchema), at: T.Number() });
export type AssignmentsResponse = Static<typeof AssignmentsResponseSchema>;

/** POST /api/assignments: 201 created, 200 a retry of the same id. */
export const CreateAssignmentBody = T.Object({
  id: ClientId,
  teamId: Id,
  gridIds: T.Array(Id, { maxItems: 200, default: [] }),
  locationIds: T.Array(Id, { maxItems: 500, default: [] }),
  from: Time,
  to: Time,
  note: T.Optional(Note),
});
export type CreateAssignmentRequest = Static<typeof CreateAssignmentBody>;

/**
 * GET /api/assignments: `at` (shifts active then) or `teamId` (a team's current and coming
 * shifts), or `from` and `to` (every shift overlapping the range, ≤ 62 days) narrowed by team,
 * township, organisation or agency.
 */
export const AssignmentListQuery = T.Object({
  teamId: T.Optional(Id),
  at: T.Optional(Time),
  from: T.Optional(Time),
  to: T.Optional(Time),
  townshipId: T.Optional(Id),
  organisationId: T.Optional(Id),
  agency: T.Optional(StringEnum(AGENCIES)),
});

/** PUT /api/assignments/:id: the shift's new times, places and note (its team stays). */
export const UpdateAssignmentBody = T.Object({
  gridIds: T.Array(Id, { maxItems: 200, default: [] }),
  locationIds: T.Array(Id, { maxItems: 500, default: [] }),
  from: Time,
  to: Time,
  note: T.Optional(Note),
});
export type UpdateAssignmentRequest = Static<typeof UpdateAssignmentBody>;

const LocalDay = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const ClockTime = T.String({ pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$' });

/** The most a bulk request may make: teams × days × shifts a day. */
export const BULK_LIMITS = { teams: 50, days: 31, shifts: 4 } as const;

/**
 * POST /api/assignments/bulk: the same shifts each day (county local time) for each team, e.g.
 * three shifts a day over a holiday. Days: `dates`, or every day `fromDay`…`toDay`. A shift
 * whose end is not after its start ends the next day (20:00–08:00). Grids default to each
 * team's own.
 */
export const BulkAssignmentsBody = T.Object({
  id: ClientId,
  teamIds: T.Array(Id, { minItems: 1, maxItems: BULK_LIMITS.teams }),
  dates: T.Optional(T.Array(LocalDay, { minItems: 1, maxItems: BULK_LIMITS.days })),
  fromDay: T.Optional(LocalDay),
  toDay: T.Optional(LocalDay),
  shifts: T.Array(T.Object({ start: ClockTime, end: ClockTime }), { minItems: 1, maxItems: BULK_LIMITS.shifts }),
  gridIds: T.Optional(T.Array(Id, { maxItems: 200 })),
  locationIds: T.Optional(T.Array(Id, { maxItems: 500 })),
  note: T.Optional(Note),
});
export type BulkAssignmentsRequest = Static<typeof BulkAssignmentsBody>;

/** 201 made (`created`), 200 a retry (`created: 0`, `existing` the shifts made before). */
export const BulkAssignmentsResponseSchema = T.Object({ batch: T.String(), created: T.Integer(), existing: T.Integer(), assignments: T.Array(AssignmentSchema) });
export type BulkAssignmentsResponse = Static<typeof BulkAssignmentsResponseSchema>;

/** One refused shift of a bulk request: the team, the shift it would have made, and the one in the way. */
export const BulkConflictSchema = T.Object({
  teamId: T.String(),
  callSign: T.String(),
  from: T.Number(),
  to: T.Number(),
  other: T.Object({ id: T.String(), from: T.Number(), to: T.Number() }),
});
export type BulkConflict = Static<typeof BulkConflictSchema>;

/** 409 of a bulk request: nothing was written; every conflict named. */
export const BulkConflictsProblemSchema = T.Object({
  statusCode: T.Integer(),
  error: T.String(),
  code: T.String(),
  message: T.String(),
  field: T.String(),
  params: T.Object({ count: T.Integer() }),
  conflicts: T.Array(BulkConflictSchema),
});
export type BulkConflictsProblem = Static<typeof BulkConflictsProblemSchema>;
export const AssignmentIdParams = T.Object({ id: Id });
