/**
 * Check-in routes:
 *   POST /api/checkins                               a device (body.deviceId) or a signed-in patrol account checks in
 *   GET  /api/checkins?locationId=|teamId=&from=&to=  who checked in where, when: the map's viewers
 *   GET  /api/checkins/codes/:locationId             the QR code to post at a location: admin, dispatcher, coordinator
 *   POST /api/checkins/codes/:locationId/rotate      invalidate a posted code: admin, dispatcher
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type as T, type Static } from '@sinclair/typebox';
import { TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { strictCompiler } from '../tracking/strict.ts';
import { CheckInOut, CheckInSchema } from './schema.ts';
import { CheckInTooFarError, type CheckInActor } from './service.ts';
import type { PatrolCheckIn } from '../events.ts';

const NewCheckIn = T.Intersect([T.Object({ deviceId: T.Optional(T.String({ minLength: 1, maxLength: 128 })) }), CheckInSchema]);
const ListQuery = T.Object({
  locationId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  teamId: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  limit: T.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
});
const LocationParams = T.Object({ locationId: T.String({ minLength: 1, maxLength: 64 }) });
const Code = T.Object({ locationId: T.String(), code: T.String(), url: T.String(), generation: T.Integer() });
const MAX_SPAN_MS = 31 * 86_400_000;
const TooFar = T.Object({ statusCode: T.Integer(), error: T.String(), message: T.String(), field: T.Optional(T.String()), distance: T.Optional(T.Number()), allowed: T.Optional(T.Number()) });

const checkInRoutes: FastifyPluginAsync = async (app) => {
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

  await app.register(async (scope) => {
    scope.setValidatorCompiler(strictCompiler);
    scope.post(
      '/api/checkins',
      { config: { access: 'device', ingestSource: 'http' }, schema: { body: NewCheckIn, response: { 200: T.Object({ checkIn: CheckInOut, duplicate: T.Boolean() }), 201: T.Object({ checkIn: CheckInOut, duplicate: T.Boolean() }), 422: TooFar } } },
      async (request, reply) => {
        const { deviceId, ...input } = request.body as Static<typeof NewCheckIn>;
        try {
          const result = await app.checkins.checkIn(await actor(request, deviceId), input as PatrolCheckIn, 'body.');
          return reply.status(result.duplicate ? 200 : 201).send(result);
        } catch (err) {
          if (err instanceof CheckInTooFarError) {
            return reply.status(422).send({ statusCode: 422, error: 'Unprocessable Entity', message: err.message, field: err.field, distance: err.distance, allowed: err.allowed });
          }
          throw err;
        }
      },
    );
  });

  app.get('/api/checkins', { config: { access: VIEWERS }, schema: { querystring: ListQuery, response: { 200: T.Object({ checkIns: T.Array(CheckInOut), truncated: T.Boolean() }) } } }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    if (q.locationId === undefined && q.teamId === undefined) throw new HttpError(400, 'querystring.locationId or querystring.teamId is required', 'querystring.locationId');
    const to = q.to ?? app.clock.now();
    const from = q.from ?? to - 86_400_000;
    if (from > to) throw new HttpError(400, 'querystring.from must not be after to', 'querystring.from');
    if (to - from > MAX_SPAN_MS) throw new HttpError(400, 'querystring.from must be within 31 days of to', 'querystring.from');
    return app.checkins.list({ locationId: q.locationId, teamId: q.teamId, from, to, limit: q.limit });
  });

  async function codeFor(request: FastifyRequest, locationId: string, rotate: boolean) {
    const { raw } = await app.geography.snapshot();
    if (!raw.locations.some((l) => l.id === locationId)) throw new HttpError(404, `no key location with id ${locationId}`, 'params.locationId');
    const { code, generation } = rotate ? await app.checkins.qr.rotate(locationId) : await app.checkins.qr.code(locationId);
    return { locationId, code, generation, url: `${request.protocol}://${request.host}/patrol#checkin=${encodeURIComponent(code)}` };
  }

  app.get('/api/checkins/codes/:locationId', { config: { access: TEAM_MANAGERS }, schema: { params: LocationParams, response: { 200: Code } } }, async (request) => {
    const { locationId } = request.params as Static<typeof LocationParams>;
    return codeFor(request, locationId, false);
  });

  app.post('/api/checkins/codes/:locationId/rotate', { config: { access: ['admin', 'dispatcher'] }, schema: { params: LocationParams, response: { 200: Code } } }, async (request) => {
    const { locationId } = request.params as Static<typeof LocationParams>;
    const result = await codeFor(request, locationId, true);
    await app.auditRequest(request, { action: 'config_change', target: `checkin-code:${locationId}`, detail: { generation: result.generation } });
    return result;
  });
};
export default checkInRoutes;
