/**
 * Access control on every route and socket: the session cookie is read once per request,
 * each route's declared `config.access` is enforced before its body is even parsed, and the
 * app refuses to boot when an /api route declares none. Also security headers (CSP: our own
 * origin only) and the audit log.
 */
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { createAccessStore, tokenHash } from './store.ts';
import { createAccessService, type AccessService, type SocketCloser } from './service.ts';
import { createAuditLog, type AuditLog } from './audit.ts';
import { createRateLimiter, type RateLimiter, type Limit } from './rateLimit.ts';
import { VIEWERS, type RouteAccess, type SessionUser } from './roles.ts';
import { ROOMS } from '../events.ts';
import { HttpError } from '../plugins/errors.ts';
import { whenReady } from '../plugins/redis.ts';
import accessRoutes from './routes.ts';
import { SESSION_COOKIE, sessionRoom, sessionToken, userRoom } from './session.ts';
import { PATROL_NAMESPACE } from '../events.ts';

/**
 * A principal other than a user's session, signed in by a cookie of its own and read-only: it may
 * call the GET routes a leader may and hear the live feed, nothing else (wall displays register
 * one, displays/plugin.ts). It is given to routes as a leader-like `request.user` whose `id` names
 * its socket room (`userRoom(id)`), so the routes and the scope rule need no second path.
 */
export interface Reader {
  cookie: string;
  /** The principal for a token, or undefined when the token is unknown or revoked. */
  find(token: string): Promise<SessionUser | undefined>;
  /** The code of the 401 a request with an unknown or revoked token gets. */
  unknownCode: string;
  /**
   * The GET routes (as registered, e.g. `/api/geo/grids`) this principal may read: only what its
   * screen needs, so an unattended screen in a public room cannot read members' phones, exports or
   * the audit log with a leader's reach.
   */
  routes: ReadonlySet<string>;
  /** A finer test of one of those routes for this principal and the request's path parameters (a display reads its own event's board only). */
  mayRead?(user: SessionUser, route: string, params: unknown): boolean;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: 'public' or the roles allowed. Required on every /api route. */
    access?: RouteAccess;
    /** Optional per-IP rate limit for the route. */
    rateLimit?: Limit & { bucket: string };
  }
  interface FastifyRequest {
    user: SessionUser | undefined;
    /** True when `user` is a read-only principal (a {@link Reader}'s), not a signed-in user. */
    readOnly: boolean;
  }
  interface FastifyInstance {
    access: AccessService;
    audit: AuditLog;
    rateLimiter: RateLimiter;
    /** Every route with its access rule, for the docs and the access matrix test. */
    routeTable: RouteEntry[];
    /** Registers a read-only principal (see {@link Reader}). */
    addReader(reader: Reader): void;
    /** Records an audit entry for a request's user. */
    auditRequest(request: FastifyRequest, entry: { action: Parameters<AuditLog['record']>[0]['action']; target: string; detail?: Record<string, unknown> }): Promise<void>;
  }
}

export default fp(
  async (app) => {
    await app.register(fastifyCookie);
    const store = createAccessStore(app.redis, app.keys);
    const audit = createAuditLog(app.redis, app.keys);
    // Namespaces whose sockets may carry a session (a patrol account's phone uses /patrol).
    const namespaces = ['/', PATROL_NAMESPACE];
    const sockets: SocketCloser = {
      user: (userId) => {
        for (const name of namespaces) app.io.of(name).in(userRoom(userId)).disconnectSockets(true);
      },
      sessions: (hashes) => {
        if (hashes.length === 0) return;
        for (const name of namespaces) app.io.of(name).in(hashes.map(sessionRoom)).disconnectSockets(true);
      },
    };
    const service = createAccessService({
      redis: app.redis,
      keys: app.keys,
      store,
      audit,
      clock: app.clock,
      sessionTtlSeconds: Math.round(app.config.sessionTtlHours * 3600),
      sessionMaxSeconds: Math.round(app.config.sessionMaxHours * 3600),
      passwordLogN: app.config.passwordLogN,
      sockets,
    });
    const rateLimiter = createRateLimiter(app.redis, app.keys);
    const routeTable: RouteEntry[] = [];

    app.decorate('access', service);
    app.decorate('audit', audit);
    app.decorate('rateLimiter', rateLimiter);
    app.decorate('routeTable', routeTable);
    app.decorateRequest('user', undefined);
    app.decorateRequest('readOnly', false);
    const readers: Reader[] = [];
    app.decorate('addReader', (reader: Reader) => void readers.push(reader));
    /** The first reader whose cookie is set: its principal, or its refusal code when the token is unknown. */
    async function readerOf(cookies: Record<string, string | undefined>): Promise<{ user?: SessionUser; unknownCode?: string; routes: ReadonlySet<string>; reader: Reader } | undefined> {
      for (const reader of readers) {
        const token = cookies[reader.cookie];
        if (!token) continue;
        const user = await reader.find(token);
        return user ? { user, routes: reader.routes, reader } : { unknownCode: reader.unknownCode, routes: reader.routes, reader };
      }
      return undefined;
    }
    app.decorate('auditRequest', async (request: FastifyRequest, entry: { action: Parameters<AuditLog['record']>[0]['action']; target: string; detail?: Record<string, unknown> }) => {
      await audit.record({ at: app.clock.now(), actor: request.user?.username ?? '', role: request.user?.role ?? '', ip: request.ip, detail: {}, ...entry });
    });

    const unchecked: string[] = [];
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!route.url.startsWith('/api/')) return;
      const access = route.config?.access;
      for (const method of methods) {
        if (method === 'HEAD') continue;
        if (access === undefined) unchecked.push(`${method} ${route.url}`);
        else routeTable.push({ method, url: route.url, access });
      }
    });
    app.addHook('onReady', async () => {
      if (unchecked.length > 0) throw new Error(`routes without an access rule (config.access): ${unchecked.join(', ')}`);
    });

    // onRequest: before the body is parsed, so an anonymous 50 MB upload is refused unread.
    app.addHook('onRequest', async (request, reply) => {
      if (request.is404) return;
      const access = request.routeOptions.config.access;
      if (access === undefined) return; // not an /api route (the web app's files)
      const limit = request.routeOptions.config.rateLimit;
      if (limit) {
        const wait = await rateLimiter.hit(limit.bucket, request.ip, limit, app.clock.now());
        if (wait > 0) {
          reply.header('retry-after', Math.ceil(wait / 1000));
          throw new HttpError(429, `too many requests, retry in ${Math.ceil(wait / 1000)} s`);
        }
      }
      // Public routes never read the session: health must answer while Redis is down, cookie or not.
      if (access === 'public') return;
      const token = sessionToken(request);
      if (token) request.user = await service.userForToken(token);
      if (access === 'device') return;
      if (!request.user) {
        const reader = await readerOf(request.cookies ?? {});
        if (reader?.unknownCode) throw new HttpError(401, 'this display is revoked or unknown', undefined, { code: reader.unknownCode });
        if (reader?.user) {
          // A read-only principal reads the routes its screen needs, as a leader would, and writes nothing.
          const route = request.routeOptions.url ?? '';
          if (request.method !== 'GET' || !access.includes('leader') || !reader.routes.has(route) || (reader.reader.mayRead && !reader.reader.mayRead(reader.user, route, request.params))) {
            throw new HttpError(403, 'a display only reads what its screen shows', undefined, { code: 'display_read_only' });
          }
          request.user = reader.user;
          request.readOnly = true;
        }
      }
      if (!request.user) throw new HttpError(401, 'sign in first');
      if (!access.includes(request.user.role)) throw new HttpError(403, `a ${request.user.role} may not do this`);
    });

    // Sockets use the same session: the handshake's cookie.
    app.io.use(async (socket, next) => {
      try {
        const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
        let user = await service.userForToken(cookies[SESSION_COOKIE]);
        if (!user) {
          const reader = await readerOf(cookies);
          if (reader?.unknownCode) return next(new Error(reader.unknownCode));
          user = reader?.user;
          if (user) socket.data.readOnly = true;
        }
        if (!user) return next(new Error('unauthorized'));
        socket.data.user = user;
        next();
      } catch {
        next(new Error('unavailable'));
      }
    });
    app.io.on('connection', (socket) => {
      // Only those who watch the shared map get its live feed; a patrol phone gets its own team's.
      if (VIEWERS.includes(socket.data.user.role)) void socket.join(ROOMS.dashboards);
      if (socket.data.readOnly) {
        // A read-only principal sends nothing but pings: every other event is refused unheard.
        socket.use((packet, next) => {
          if (packet[0] === 'system:ping') return next();
          const ack: unknown = packet.at(-1);
          if (typeof ack === 'function') ack({ error: { message: 'a display only reads', code: 'display_read_only' } });
        });
        void socket.join(userRoom(socket.data.user.id));
      }
    });
    // Every socket opened with a session joins its user's and its session's rooms, so logout,
    // disabling and a role change can close it from any server process.
    for (const name of namespaces) {
      app.io.of(name).on('connection', (socket) => {
        const token = app.parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
        if (!token || !socket.data.user) return;
        void socket.join([userRoom(socket.data.user.id), sessionRoom(tokenHash(token))]);
      });
    }

    // First admin from the environment (production): created once, never overwritten.
    const { adminUsername, adminPassword } = app.config;
    if (adminUsername && adminPassword) {
      app.addHook('onReady', async () => {
        void whenReady(app.redis, 60_000)
          .then(async () => {
            if (await store.findByUsername(adminUsername)) return;
            await service.createUser({ username: adminUsername, name: adminUsername, role: 'admin', organisationId: null, teamId: null, password: adminPassword });
            app.log.info({ username: adminUsername }, 'first admin created from ADMIN_USERNAME');
          })
          .catch((err: Error) => app.log.error({ err: err.message }, 'could not create the first admin'));
      });
    }

    await app.register(accessRoutes);
  },
  { name: 'access', dependencies: ['config', 'redis', 'socket', 'errors'] },
);
