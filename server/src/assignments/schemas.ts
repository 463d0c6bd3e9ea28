/**
 * The patrol assignment API's shapes (排班): a team on grids and key locations for a shift. Types
 * are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { ClientId } from '../incidents/schemas.ts';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Time = T.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });

/** A patrol assignment (排班): a team on grids and key locations for a shift. */
export const AssignmentSchema = T.Object({
  id: T.String(),
  teamId: T.String(),
  gridIds: T.Array(T.String()),
  locationIds: T.Array(T.String()),
  from: T.Number(),
  to: T.Number(),
  /** Username of who made it. */
  by: T.String(),
  createdAt: T.Number(),
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
});
export type CreateAssignmentRequest = Static<typeof CreateAssignmentBody>;

export const AssignmentListQuery = T.Object({ teamId: T.Optional(Id), at: T.Optional(Time) });
export const AssignmentIdParams = T.Object({ id: Id });
