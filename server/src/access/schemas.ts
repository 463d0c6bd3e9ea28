/**
 * The sign-in and administration API's shapes: the signed-in user and user management (the
 * audit log's are beside its route). Types are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../schemaKit.ts';
import { ROLES } from './roles.ts';

const Username = T.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });
const Password = T.String({ minLength: 8, maxLength: 128 });
export const RoleSchema = T.Union(ROLES.map((r) => T.Literal(r)));

/** The signed-in user as the server and the web app see it. */
export const SessionUserSchema = T.Object({
  id: T.String(),
  username: T.String(),
  name: T.String(),
  role: StringEnum(ROLES),
  /** The organisation a coordinator (or patrol) acts for; null for county-wide roles. */
  organisationId: Nullable(T.String()),
  /** The team a patrol account reports for. */
  teamId: Nullable(T.String()),
});
export type SessionUser = Static<typeof SessionUserSchema>;

/** POST /api/auth/login → 200; GET /api/auth/me. */
export const MeSchema = T.Object({ user: SessionUserSchema });
export type MeResponse = Static<typeof MeSchema>;

/** GET /api/admin/users */
export const UsersSchema = T.Object({ users: T.Array(T.Composite([SessionUserSchema, T.Object({ disabled: T.Boolean() })])) });
export type UsersResponse = Static<typeof UsersSchema>;

/* ---------- requests ---------- */

export const LoginBody = T.Object({ username: Username, password: T.String({ minLength: 1, maxLength: 128 }) });
export const NewUserBody = T.Object({
  username: Username,
  name: T.String({ minLength: 1, maxLength: 64 }),
  role: RoleSchema,
  organisationId: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 64 }))),
  teamId: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 64 }))),
  password: Password,
});
export const UserChangeBody = T.Object(
  {
    name: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
    role: T.Optional(RoleSchema),
    organisationId: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 64 }))),
    teamId: T.Optional(Nullable(T.String({ minLength: 1, maxLength: 64 }))),
    disabled: T.Optional(T.Boolean()),
    password: T.Optional(Password),
  },
  { minProperties: 1 },
);
export const UserIdParams = T.Object({ id: T.String({ maxLength: 64 }) });

/** POST /api/auth/password: the signed-in user's own password. */
export const PasswordChangeBody = T.Object({ currentPassword: T.String({ minLength: 1, maxLength: 128 }), password: Password });
/** DELETE /api/admin/users/:id/lockout → 200: how many addresses the name was backing off at. */
export const LockoutClearedSchema = T.Object({ addresses: T.Integer({ minimum: 0 }) });
