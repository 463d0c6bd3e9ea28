/**
 * Sign-in and administration routes.
 *   POST /api/auth/login    public (rate-limited per IP; per-account back-off)
 *   POST /api/auth/logout   any signed-in user
 *   GET  /api/auth/me       any signed-in user
 *   POST /api/auth/password any signed-in user (ends the user's other sessions)
 *   GET/POST /api/admin/users, PATCH /api/admin/users/:id, DELETE /api/admin/users/:id/lockout,
 *   GET /api/admin/audit   admin
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { AUDIT_ACTIONS } from './audit.ts';
import { StringEnum } from '../schemaKit.ts';
import { ADMINS, ROLES } from './roles.ts';
import { publicUser } from './store.ts';
import { verifyPassword } from './passwords.ts';
import { HttpError } from '../plugins/errors.ts';
import { SESSION_COOKIE, sessionToken } from './session.ts';
import { LockoutClearedSchema, LoginBody, MeSchema, NewUserBody, PasswordChangeBody, UserChangeBody, UserIdParams, UsersSchema } from './schemas.ts';

const ALL = ROLES;

/** GET /api/admin/audit: newest first. */
const AuditLogSchema = T.Object({
  entries: T.Array(
    T.Object({
      id: T.String(),
      at: T.Number(),
      /** Username, or the name tried for a failed login. */
      actor: T.String(),
      role: T.String(),
      action: StringEnum(AUDIT_ACTIONS),
      target: T.String(),
      ip: T.String(),
      detail: T.Record(T.String(), T.Unknown()),
    }),
  ),
});

const AuditQuery = T.Object({
  action: T.Optional(T.Union(AUDIT_ACTIONS.map((a) => T.Literal(a)))),
  actor: T.Optional(T.String({ maxLength: 64 })),
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

/** Coordinators and patrols act for an organisation; a patrol account also needs its team. */
function checkScope(role: string, organisationId: string | null | undefined, teamId: string | null | undefined) {
  if ((role === 'coordinator' || role === 'patrol') && !organisationId) throw new HttpError(400, `a ${role} needs an organisationId`, 'body.organisationId', { code: 'needs_organisation' });
  if (role === 'patrol' && !teamId) throw new HttpError(400, 'a patrol account needs a teamId', 'body.teamId', { code: 'needs_team' });
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}

const accessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The cookie lives as long as the session may (its absolute maximum); Redis ends idle sessions sooner.
  const cookieMaxAge = app.access.policy.maxSeconds;

  app.post(
    '/api/auth/login',
    { config: { access: 'public', rateLimit: { bucket: 'login', max: 30, windowMs: 60_000 } }, schema: { body: LoginBody, response: { 200: MeSchema } } },
    async (request, reply) => {
      const { username, password } = request.body;
      const result = await app.access.login(username, password, request.ip);
      if (!result.ok && result.reason === 'locked') {
        reply.header('retry-after', Math.ceil(result.retryAfterMs / 1000));
        throw new HttpError(429, `too many failed sign-ins: try again in ${Math.ceil(result.retryAfterMs / 1000)} s`, undefined, { code: 'too_many_sign_ins', params: { seconds: Math.ceil(result.retryAfterMs / 1000) } });
      }
      if (!result.ok) throw new HttpError(401, 'wrong username or password', undefined, { code: 'wrong_credentials' });
      setSessionCookie(request, reply, result.token, cookieMaxAge);
      return { user: result.user };
    },
  );

  app.post('/api/auth/logout', { config: { access: ALL }, schema: { response: { 204: T.Null() } } }, async (request, reply) => {
    const token = sessionToken(request);
    if (token && request.user) await app.access.logout(token, request.user, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', { config: { access: ALL }, schema: { response: { 200: MeSchema } } }, async (request) => ({ user: request.user! }));

  app.get('/api/admin/users', { config: { access: ADMINS }, schema: { response: { 200: UsersSchema } } }, async () => ({
    users: (await app.access.store.listUsers()).map((u) => ({ ...publicUser(u), disabled: u.disabled })),
  }));

  app.post('/api/admin/users', { config: { access: ADMINS }, schema: { body: NewUserBody, response: { 201: MeSchema } } }, async (request, reply) => {
    const body = request.body;
    checkScope(body.role, body.organisationId, body.teamId);
    const user = await app.access.createUser({ ...body, organisationId: body.organisationId ?? null, teamId: body.teamId ?? null });
    if (!user) throw new HttpError(409, `username ${body.username} is taken`, 'body.username', { code: 'username_taken' });
    await app.auditRequest(request, { action: 'user_create', target: user.username, detail: { role: user.role, organisationId: user.organisationId } });
    return reply.status(201).send({ user: publicUser(user) });
  });

  app.patch(
    '/api/admin/users/:id',
    { config: { access: ADMINS }, schema: { params: UserIdParams, body: UserChangeBody, response: { 200: MeSchema } } },
    async (request) => {
      const { id } = request.params;
      const change = request.body;
      const user = await app.access.store.getUser(id);
      if (!user) throw new HttpError(404, `no user with id ${id}`, 'params.id', { code: 'no_user' });
      const next = { ...user, ...change };
      checkScope(next.role, next.organisationId, next.teamId);
      // Changing one's own password keeps the session that asked; every other session of the user ends.
      const saved = await app.access.changeUser(user, change, id === request.user!.id ? sessionToken(request) : undefined);
      const { password, ...fields } = change;
      await app.auditRequest(request, { action: 'user_change', target: user.username, detail: { ...fields, password: password ? 'changed' : undefined } });
      return { user: publicUser(saved) };
    },
  );

  app.post(
    '/api/auth/password',
    { config: { access: ALL, rateLimit: { bucket: 'password', max: 10, windowMs: 60_000 } }, schema: { body: PasswordChangeBody, response: { 204: T.Null() } } },
    async (request, reply) => {
      const user = await app.access.store.getUser(request.user!.id);
      if (!user || !(await verifyPassword(request.body.currentPassword, user.passwordHash))) throw new HttpError(403, 'the current password is wrong', 'body.currentPassword', { code: 'wrong_password' });
      await app.access.changeUser(user, { password: request.body.password }, sessionToken(request));
      await app.auditRequest(request, { action: 'user_change', target: user.username, detail: { password: 'changed' } });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/admin/users/:id/lockout',
    { config: { access: ADMINS }, schema: { params: UserIdParams, response: { 200: LockoutClearedSchema } } },
    async (request) => {
      const user = await app.access.store.getUser(request.params.id);
      if (!user) throw new HttpError(404, `no user with id ${request.params.id}`, 'params.id');
      const addresses = await app.access.clearLockout(user.username);
      await app.auditRequest(request, { action: 'lockout_clear', target: user.username, detail: { addresses } });
      return { addresses };
    },
  );

  app.get('/api/admin/audit', { config: { access: ADMINS }, schema: { querystring: AuditQuery, response: { 200: AuditLogSchema } } }, async (request) => {
    return { entries: await app.audit.list(request.query) };
  });
};
export default accessRoutes;
