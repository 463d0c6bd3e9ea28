/**
 * The admin's wall displays (显示屏):
 *   POST   /api/displays      admin: 201 { display, url } (scope: the county, townships, or a major event's board) (the token, in `url`, is answered this once);
 *                             200 a retry of the same client id and body (a fresh URL: the earlier one stops working); 409 same id, other body
 *   GET    /api/displays      admin: the displays not revoked, with their last read
 *   DELETE /api/displays/:id  admin: revokes; its sockets are closed on every process, its next request gets 401
 * Every create and revoke is audited.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ADMINS } from '../access/roles.ts';
import { userRoom } from '../access/session.ts';
import { HttpError } from '../plugins/errors.ts';
import { PATROL_NAMESPACE } from '../events.ts';
import { newDisplayToken, view, type DisplayStore } from './store.ts';
import { CreatedDisplaySchema, DisplayParams, DisplaysSchema, NewDisplayBody, type DisplayScope, type NewDisplay, type StoredDisplay } from './schemas.ts';
import { displayPrincipalId } from './principal.ts';

/** The URL a wall opens once: the page exchanges the token for a cookie and drops it from the address bar. */
function signInUrl(origin: string, token: string): string {
  return `${origin}/wall?display=${token}`;
}

const sameScope = (a: DisplayScope, b: DisplayScope) =>
  a.kind === b.kind && a.eventId === b.eventId && JSON.stringify([...(a.townshipIds ?? [])].sort()) === JSON.stringify([...(b.townshipIds ?? [])].sort());
const sameRequest = (d: StoredDisplay, body: NewDisplay) => d.name === body.name && sameScope(d.scope, body.scope);

export default function displayRoutes(store: DisplayStore): FastifyPluginAsyncTypebox {
  return async (app) => {
    /** The scope as stored: a county one without township ids, a townships one with known ids only, an event one naming an event there is. */
    async function checkedScope(scope: DisplayScope): Promise<DisplayScope> {
      if (scope.kind === 'county') return { kind: 'county' };
      if (scope.kind === 'event') {
        if (!scope.eventId) throw new HttpError(400, 'an event display needs eventId', 'body.scope.eventId', { code: 'required' });
        if (!(await app.majorEvents.get(scope.eventId))) throw new HttpError(400, `no event with id ${scope.eventId}`, 'body.scope.eventId', { code: 'unknown_event', params: { id: scope.eventId } });
        return { kind: 'event', eventId: scope.eventId };
      }
      const ids = scope.townshipIds ?? [];
      if (ids.length === 0) throw new HttpError(400, 'a townships display needs townshipIds', 'body.scope.townshipIds', { code: 'required' });
      const townships = (await app.geography.places.current()).townships;
      const unknown = ids.find((id) => !townships.has(id));
      if (unknown !== undefined) throw new HttpError(400, `no township with id ${unknown}`, 'body.scope.townshipIds', { code: 'unknown_township', params: { id: unknown } });
      return { kind: 'townships', townshipIds: ids };
    }

    app.get('/api/displays', { config: { access: ADMINS }, schema: { response: { 200: DisplaysSchema } } }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { displays: await store.list() };
    });

    app.post('/api/displays', { config: { access: ADMINS }, schema: { body: NewDisplayBody, response: { 200: CreatedDisplaySchema, 201: CreatedDisplaySchema } } }, async (request, reply) => {
      const user = request.user!;
      const body = { ...request.body, scope: await checkedScope(request.body.scope) };
      const existing = body.id ? await store.get(body.id) : undefined;
      if (existing && (existing.revokedAt !== null || !sameRequest(existing, body) || existing.createdBy !== user.username)) {
        throw new HttpError(409, `display ${body.id} exists with another body or was revoked`, 'body.id', { code: 'conflict' });
      }
      const token = newDisplayToken();
      const display = await store.save(
        existing ?? { id: body.id ?? randomUUID(), name: body.name, scope: body.scope, createdAt: app.clock.now(), createdBy: user.username, revokedAt: null },
        token,
        existing,
      );
      // A retry mints a new token (the first answer, with the only copy of the old one, was lost): audited as such.
      await app.auditRequest(request, { action: 'display_create', target: `display:${display.id}`, detail: { name: display.name, scope: display.scope, retry: existing !== undefined } });
      reply.status(existing ? 200 : 201);
      return { display: view(display, await store.lastSeen(display.id)), url: signInUrl(`${request.protocol}://${request.host}`, token) };
    });

    app.delete('/api/displays/:id', { config: { access: ADMINS }, schema: { params: DisplayParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
      const d = await store.get(request.params.id);
      if (!d || d.revokedAt !== null) throw new HttpError(404, `no display with id ${request.params.id}`, 'params.id');
      await store.revoke(d, app.clock.now());
      // Through the Socket.IO Redis adapter: the display's sockets on every process close now.
      for (const name of ['/', PATROL_NAMESPACE]) app.io.of(name).in(userRoom(displayPrincipalId(d.id))).disconnectSockets(true);
      await app.auditRequest(request, { action: 'display_revoke', target: `display:${d.id}`, detail: { name: d.name, scope: d.scope } });
      return reply.status(204).send();
    });
  };
}
