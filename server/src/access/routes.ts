/**
 * Sign-in and administration routes.
 *   POST /api/auth/login    public (rate-limited per IP; per-account back-off)
 *   POST /api/auth/logout   any signed-in user
 *   GET  /api/auth/me       any signed-in user
 *   GET/POST /api/admin/users, PATCH /api/admin/users/:id, GET /api/admin/audit   admin
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ADMINS, ROLES } from './roles.ts';
import { AUDIT_ACTIONS } from './audit.ts';
import { publicUser } from './store.ts';
import { hashPassword } from './passwords.ts';
import { HttpError } from '../plugins/errors.ts';
import { SESSION_COOKIE, sessionToken } from './session.ts';

const ALL = ROLES;
const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });
const Password = Type.String({ minLength: 8, maxLength: 128 });
const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  organisationId: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
});
const Me = Type.Object({ user: UserSchema });

const Login = Type.Object({ username: Username, password: Type.String({ minLength: 1, maxLength: 128 }) });
const NewUser = Type.Object({
  username: Username,
  name: Type.String({ minLength: 1, maxLength: 64 }),
  role: RoleSchema,
  organisationId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  teamId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  password: Password,
});
const UserChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    role: Type.Optional(RoleSchema),
    organisationId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    teamId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
  },
  { minProperties: 1 },
);
const AuditQuery = Type.Object({
  action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)))),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  to: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

/** Coordinators and patrols act for an organisation; a patrol account also needs its team. */
function checkScope(role: string, organisationId: string | null | undefined, teamId: string | null | undefined) {
  if ((role === 'coordinator' || role === 'patrol') && !organisationId) throw new HttpError(400, `a ${role} needs an organisationId`, 'body.organisationId');
  if (role === 'patrol' && !teamId) throw new HttpError(400, 'a patrol account needs a teamId', 'body.teamId');
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

const accessRoutes: FastifyPluginAsync = async (app) => {
  const ttl = Math.round(app.config.sessionTtlHours * 3600);

  app.post(
    '/api/auth/login',
    { config: { access: 'public', rateLimit: { bucket: 'login', max: 30, windowMs: 60_000 } }, schema: { body: Login, response: { 200: Me } } },
    async (request, reply) => {
      const { username, password } = request.body as Static<typeof Login>;
      const result = await app.access.login(username, password, request.ip);
      if (!result.ok && result.reason === 'locked') {
        reply.header('retry-after', Math.ceil(result.retryAfterMs / 1000));
        throw new HttpError(429, `too many failed sign-ins: try again in ${Math.ceil(result.retryAfterMs / 1000)} s`);
      }
      if (!result.ok) throw new HttpError(401, 'wrong username or password');
      setSessionCookie(request, reply, result.token, ttl);
      return { user: result.user };
    },
  );

  app.post('/api/auth/logout', { config: { access: ALL } }, async (request, reply) => {
    const token = sessionToken(request);
    if (token && request.user) await app.access.logout(token, request.user, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { config: { access: ALL }, schema: { response: { 200: Me } } }, async (request) => ({ user: request.user! }));

  app.get('/api/admin/users', { config: { access: ADMINS }, schema: { response: { 200: Type.Object({ users: Type.Array(Type.Intersect([UserSchema, Type.Object({ disabled: Type.Boolean() })])) }) } } }, async () => ({
    users: (await app.access.store.listUsers()).map((u) => ({ ...publicUser(u), disabled: u.disabled })),
  }));

  app.post('/api/admin/users', { config: { access: ADMINS }, schema: { body: NewUser, response: { 201: Me } } }, async (request, reply) => {
    const body = request.body as Static<typeof NewUser>;
    checkScope(body.role, body.organisationId, body.teamId);
    const user = await app.access.createUser({ ...body, organisationId: body.organisationId ?? null, teamId: body.teamId ?? null });
    if (!user) throw new HttpError(409, `username ${body.username} is taken`, 'body.username');
    await app.auditRequest(request, { action: 'user_create', target: user.username, detail: { role: user.role, organisationId: user.organisationId } });
    return reply.status(201).send({ user: publicUser(user) });
  });

  app.patch(
    '/api/admin/users/:id',
    { config: { access: ADMINS }, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }), body: UserChange, response: { 200: Me } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const change = request.body as Static<typeof UserChange>;
      const user = await app.access.store.getUser(id);
      if (!user) throw new HttpError(404, `no user with id ${id}`, 'params.id');
      const { password, ...fields } = change;
      const next = { ...user, ...fields };
      checkScope(next.role, next.organisationId, next.teamId);
      if (password) next.passwordHash = await hashPassword(password);
      await app.access.store.saveUser(next);
      await app.auditRequest(request, { action: 'user_change', target: user.username, detail: { ...fields, password: password ? 'changed' : undefined } });
      return { user: publicUser(next) };
    },
  );

  app.get('/api/admin/audit', { config: { access: ADMINS }, schema: { querystring: AuditQuery } }, async (request) => {
    const q = request.query as Static<typeof AuditQuery>;
    return { entries: await app.audit.list(q) };
  });
};
export default accessRoutes;
