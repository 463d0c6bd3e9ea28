/**
 * Check-in routes:
 *   POST /api/checkins                               a device (body.deviceId) or a signed-in patrol account checks in
 *   GET  /api/checkins?locationId=|teamId=&from=&to=  who checked in where, when: the map's viewers (coordinators: their
 *                                                    area, scope/rule.ts: a team outside it 403, a location's rows filtered)
 *   GET  /api/checkins/codes/:locationId             the QR code to post at a location (the next one once expired): admin, dispatcher, coordinator
 *   POST /api/checkins/codes/:locationId/rotate      invalidate a posted code: admin, dispatcher
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { strictCompiler } from '../plugins/strict.ts';
import {
  CheckInCodeSchema,
  CheckInListQuery,
  CheckInLocationParams,
  CheckInResponseSchema,
  CheckInsResponseSchema,
  CheckInUnprocessableSchema,
  NewCheckInBody,
} from './schemas.ts';
import { CheckInTooFarError, type CheckInActor } from './service.ts';

const MAX_SPAN_MS = 31 * 86_400_000;

const checkInRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The team a request checks in for: a device's, or a signed-in patrol account's. */
  async function actor(request: FastifyRequest, deviceId: string | undefined): Promise<CheckInActor> {
    if (deviceId !== undefined) {
      const auth = await app.devices.store.authenticate(deviceId);
      if (auth.status === 'unknown') throw new HttpError(401, 'body.deviceId is not a registered device', 'body.deviceId');
      if (auth.status === 'revoked') throw new HttpError(403, 'body.deviceId names a revoked device', 'body.deviceId');
      return { teamId: auth.teamId, by: auth.deviceId };
    }
    const user = request.user;
    if (!user) throw new HttpError(401, 'body.deviceId is required (or sign in as a patrol account)', 'body.deviceId');
    if (user.role !== 'patrol' || !user.teamId) throw new HttpError(403, `a ${user.role} does not check in: patrol accounts and devices do`);
    return { teamId: user.teamId, by: `user:${user.id}` };
  }

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.setValidatorCompiler(strictCompiler);
    scope.post(
      '/api/checkins',
      { config: { access: 'device', ingestSource: 'http' }, schema: { body: NewCheckInBody, response: { 200: CheckInResponseSchema, 201: CheckInResponseSchema, 422: CheckInUnprocessableSchema } } },
      async (request, reply) => {
        const { deviceId, ...input } = request.body;
        try {
          const result = await app.checkins.checkIn(await actor(request, deviceId), input, 'body.');
          return reply.status(result.duplicate ? 200 : 201).send(result);
        } catch (err) {
          if (err instanceof CheckInTooFarError) {
            return reply.status(422).send({ statusCode: 422, error: 'Unprocessable Entity', message: err.message, field: err.field, code: 'checkin_too_far', params: { distance: Math.round(err.distance), allowed: Math.round(err.allowed) }, distance: err.distance, allowed: err.allowed });
          }
          throw err;
        }
      },
    );
  });

  app.get('/api/checkins', { config: { access: VIEWERS }, schema: { querystring: CheckInListQuery, response: { 200: CheckInsResponseSchema } } }, async (request) => {
    const q = request.query;
    if (q.locationId === undefined && q.teamId === undefined) throw new HttpError(400, 'querystring.locationId or querystring.teamId is required', 'querystring.locationId');
    const to = q.to ?? app.clock.now();
    const from = q.from ?? to - 86_400_000;
    if (from > to) throw new HttpError(400, 'querystring.from must not be after to', 'querystring.from');
    if (to - from > MAX_SPAN_MS) throw new HttpError(400, 'querystring.from must be within 31 days of to', 'querystring.from');
    const user = request.user!;
    if (q.teamId !== undefined) {
      const team = await app.teams.get(q.teamId);
      // An unknown team of a coordinator is refused like another's: nothing shows it is theirs.
      if (team ? !(await app.scope.seesTeam(user, team)) : user.role === 'coordinator') throw new HttpError(403, `team ${q.teamId} is outside your area`, 'querystring.teamId');
    }
    const visible = await app.scope.checkInsOf(user);
    return app.checkins.list({ locationId: q.locationId, teamId: q.teamId, from, to, limit: q.limit, visible });
  });

  async function codeFor(request: FastifyRequest, locationId: string, rotate: boolean) {
    const { raw } = await app.geography.snapshot();
    if (!raw.locations.some((l) => l.id === locationId)) throw new HttpError(404, `no key location with id ${locationId}`, 'params.locationId');
    const { code, generation, expiresAt } = rotate ? await app.checkins.qr.rotate(locationId) : await app.checkins.qr.code(locationId);
    return { locationId, code, generation, expiresAt, url: `${request.protocol}://${request.host}/patrol#checkin=${encodeURIComponent(code)}` };
  }

  app.get('/api/checkins/codes/:locationId', { config: { access: TEAM_MANAGERS }, schema: { params: CheckInLocationParams, response: { 200: CheckInCodeSchema } } }, async (request) => {
    const { locationId } = request.params;
    return codeFor(request, locationId, false);
  });

  app.post('/api/checkins/codes/:locationId/rotate', { config: { access: ['admin', 'dispatcher'] }, schema: { params: CheckInLocationParams, response: { 200: CheckInCodeSchema } } }, async (request) => {
    const { locationId } = request.params;
    const result = await codeFor(request, locationId, true);
    await app.auditRequest(request, { action: 'config_change', target: `checkin-code:${locationId}`, detail: { generation: result.generation } });
    return result;
  });
};
export default checkInRoutes;
