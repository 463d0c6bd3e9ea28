/**
 * Registers wall displays: their store and admin routes, the read-only principal the access layer
 * resolves from the display cookie, and the one-time sign-in: `GET /wall?display=<token>` sets
 * the long-lived cookie and redirects to `/wall`, so the token leaves the address bar (and the
 * browser's history holds only the bare page).
 */
import fp from 'fastify-plugin';
import { createDisplayStore, DISPLAY_COOKIE, DISPLAY_COOKIE_MAX_AGE_S, type DisplayStore } from './store.ts';
import { displayPrincipal, type DisplayPrincipal } from './principal.ts';
import displayRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    displays: DisplayStore;
  }
}

/** The wall page, and its query parameter carrying the token the admin screen showed. */
const WALL_PATH = '/wall';
const TOKEN_PARAM = 'display';

/**
 * What the wall page reads (web/src/lib/wall): its figures, the map's geography and live layers.
 * Not a team's members (phones), check-ins, tracks, exports, users or the audit log.
 */
export const WALL_ROUTES: ReadonlySet<string> = new Set([
  '/api/wall/figures',
  '/api/config',
  '/api/geo/county',
  '/api/geo/townships',
  '/api/geo/grids',
  '/api/geo/locations',
  '/api/teams',
  '/api/coverage',
  '/api/incidents',
  '/api/incidents/:id',
  '/api/alerts',
  // An event display's board: its own event's only (EVENT_BOARD below).
  '/api/events/:id/board',
]);

/** The event board route: an event display reads its own event's, no other display any. */
const EVENT_BOARD = '/api/events/:id/board';

export default fp(
  async (app) => {
    const store = createDisplayStore(app.redis, app.keys);
    app.decorate('displays', store);

    app.addReader({
      cookie: DISPLAY_COOKIE,
      unknownCode: 'display_revoked',
      routes: WALL_ROUTES,
      mayRead(user, route, params) {
        if (route !== EVENT_BOARD) return true;
        const eventId = (user as DisplayPrincipal).eventId;
        return eventId !== undefined && (params as { id?: string }).id === eventId;
      },
      async find(token) {
        const d = await store.byToken(token);
        if (!d) return undefined;
        store.touch(d.id, app.clock.now()).catch((err: Error) => app.log.warn({ err: err.message }, 'could not record a display read'));
        return displayPrincipal(d);
      },
    });

    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET') return;
      const [path, search = ''] = request.url.split('?');
      if (path !== WALL_PATH) return;
      const token = new URLSearchParams(search).get(TOKEN_PARAM);
      if (token === null) return;
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      // An unknown or revoked token sets nothing: the page says the display is not signed in.
      if (token.length <= 200 && (await store.byToken(token))) {
        reply.setCookie(DISPLAY_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: DISPLAY_COOKIE_MAX_AGE_S });
      }
      return reply.redirect(WALL_PATH, 303);
    });

    await app.register(displayRoutes(store));
  },
  { name: 'displays', dependencies: ['redis', 'access', 'socket', 'geography', 'majorEvents'] },
);
