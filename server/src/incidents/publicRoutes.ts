/**
 * The grid help board's form (求助栏), without a login: a resident scans the board's QR code,
 * sees the grid and its leader, sends a help request and keeps a reference number to look the
 * request up later. Rate-limited per client address (in the access layer, before the body is
 * read) and per grid (here, once the grid is known), so one phone or one board cannot flood
 * the command centre. The lookup shows state and times only: no names, no phones.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Limit } from '../access/rateLimit.ts';
import { HttpError } from '../plugins/errors.ts';
import { checkPaired } from './reportPoint.ts';
import {
  PublicGridParams,
  PublicGridSchema,
  PublicHelpBody,
  PublicHelpStatusSchema,
  PublicReferenceParams,
  type IncidentView,
  type PublicHelpStatus,
} from './schemas.ts';

const MIN = 60_000;
/** Help requests from one client address. */
export const HELP_PER_ADDRESS: Limit = { max: 5, windowMs: 10 * MIN };
/** Help requests from one grid's board, whoever sends them. */
export const HELP_PER_GRID: Limit = { max: 20, windowMs: 10 * MIN };
/** Reference lookups from one client address (a reference is unguessable; this keeps it so). */
export const LOOKUPS_PER_ADDRESS: Limit = { max: 60, windowMs: MIN };

/** State changes only, oldest first. */
export function publicStatus(incident: IncidentView): PublicHelpStatus {
  const steps: PublicHelpStatus['steps'] = [];
  for (const h of incident.history) if (steps[steps.length - 1]?.state !== h.state) steps.push({ state: h.state, at: h.at });
  return { reference: incident.reference, category: incident.category, state: incident.state, createdAt: incident.createdAt, steps };
}

const publicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/public/grids/:gridId',
    {
      config: { access: 'public', rateLimit: { bucket: 'help-grid-view', ...LOOKUPS_PER_ADDRESS } },
      schema: { params: PublicGridParams, response: { 200: PublicGridSchema } },
    },
    async (request) => {
      const { gridId } = request.params;
      const grid = (await app.geography.snapshot()).gridDetail(gridId);
      if (!grid) throw new HttpError(404, `no grid with id ${gridId}`, 'params.gridId');
      return { gridId: grid.id, gridName: grid.name, townshipName: grid.townshipName, leader: grid.leader ? { name: grid.leader.name, phone: grid.leader.phone } : null };
    },
  );

  app.post(
    '/api/public/help',
    {
      config: { access: 'public', rateLimit: { bucket: 'help', ...HELP_PER_ADDRESS } },
      schema: { body: PublicHelpBody, response: { 200: PublicHelpStatusSchema, 201: PublicHelpStatusSchema } },
    },
    async (request, reply) => {
      const body = request.body;
      checkPaired(body, 'body.');
      const places = await app.geography.places.current();
      if (!places.grids.has(body.gridId)) throw new HttpError(404, `body.gridId names no grid: ${body.gridId}`, 'body.gridId');
      const wait = await app.rateLimiter.hit('help-grid', body.gridId, HELP_PER_GRID, app.clock.now());
      if (wait > 0) {
        reply.header('retry-after', Math.ceil(wait / 1000));
        throw new HttpError(429, `this grid's help board has sent too many requests, retry in ${Math.ceil(wait / 1000)} s or call the grid leader`, 'body.gridId', { code: 'help_board_busy', params: { seconds: Math.ceil(wait / 1000) } });
      }
      const { incident, created } = await app.incidents.create(
        {
          id: body.id,
          category: body.category ?? 'help',
          lon: body.lon ?? Number.NaN,
          lat: body.lat ?? Number.NaN,
          description: body.description,
          reporterName: body.name,
          reporterPhone: body.phone,
        },
        { kind: 'public', ip: request.ip },
        'public',
        { gridId: body.gridId },
      );
      if (created) {
        await app.audit.record({
          at: app.clock.now(),
          actor: 'public',
          role: 'public',
          action: 'incident_create',
          target: `incident:${incident.id}`,
          ip: request.ip,
          detail: { category: incident.category, gridId: incident.gridId, reference: incident.reference },
        });
      }
      reply.status(created ? 201 : 200);
      return publicStatus(incident);
    },
  );

  app.get(
    '/api/public/help/:reference',
    {
      config: { access: 'public', rateLimit: { bucket: 'help-lookup', ...LOOKUPS_PER_ADDRESS } },
      schema: { params: PublicReferenceParams, response: { 200: PublicHelpStatusSchema } },
    },
    async (request, reply) => {
      const { reference } = request.params;
      const incident = await app.incidents.byReference(reference);
      if (!incident) throw new HttpError(404, `no help request with reference ${reference}`, 'params.reference');
      reply.header('cache-control', 'no-store');
      return publicStatus(incident);
    },
  );
};

export default publicRoutes;
