/**
 * What the patrol page reports over its socket (link.ts): positions (into the one ingest),
 * check-ins, going on and off duty, SOS, and who it is. A socket reports only for its own
 * team, every payload is validated like an HTTP body, and a device is re-checked on every
 * position (its sockets are also cut when it is revoked).
 */
import type { FastifyInstance } from 'fastify';
import { Type as T } from '@sinclair/typebox';
import { locationPoint } from '../geography/shapes.ts';
import { HttpError, ackProblem } from '../plugins/errors.ts';
import { invalidPayload, reply, type PatrolSocket } from './socketKit.ts';
import { PATROL_NAMESPACE, type PatrolIdentity } from '../events.ts';
import type { Fix } from '@lianfang/geo';
import { FixSchema, MAX_BATCH } from '../tracking/schemas.ts';
import { strict } from '../plugins/strict.ts';
import { CheckInTooFarError } from '../checkins/service.ts';
import { CheckInSchema } from '../checkins/schemas.ts';
import type { IngestAuth } from '../tracking/ingest.ts';
import { raiseSos, SosBody } from '../alerts/sos.ts';


const Positions = strict(T.Object({ positions: T.Array(FixSchema, { minItems: 1, maxItems: MAX_BATCH }) }));
const CheckIn = strict(CheckInSchema);
const Duty = strict(T.Object({ onDuty: T.Boolean() }));
const Sos = strict(SosBody);


/** The team a socket reports for, or why it may not. */
function reporter(socket: PatrolSocket): { teamId: string; auth: IngestAuth; by: string } {
  const device = socket.data.device;
  if (device) return { teamId: device.teamId, auth: { deviceHash: device.hash }, by: device.id };
  const user = socket.data.user;
  if (user?.role === 'patrol' && user.teamId) return { teamId: user.teamId, auth: { teamId: user.teamId, by: `user:${user.id}` }, by: `user:${user.id}` };
  throw new HttpError(403, 'only a patrol account or a registered device reports positions');
}

export function registerReportEvents(app: FastifyInstance): void {
  const fail = (socket: PatrolSocket, ack: unknown, err: unknown) => {
    if (err instanceof CheckInTooFarError) return reply(ack, { error: { ...ackProblem(err), code: 'checkin_too_far', params: { distance: Math.round(err.distance), allowed: Math.round(err.allowed) }, distance: err.distance, allowed: err.allowed } });
    if (err instanceof HttpError) {
      if (err.statusCode === 401 || err.statusCode === 403) app.log.warn({ source: 'socket', status: err.statusCode, socket: socket.id }, 'patrol socket report refused');
      void app.redis.hIncrBy(app.keys.ingestStats, `rejected:socket:${err.statusCode}`, 1).catch(() => {});
      return reply(ack, { error: ackProblem(err) });
    }
    app.log.error({ err }, 'patrol socket event failed');
    reply(ack, { error: { message: 'internal error, retry', code: 'server_error' } });
  };
  const invalid = (ack: unknown, e: { path: string; message: string }) => {
    void app.redis.hIncrBy(app.keys.ingestStats, 'rejected:socket:400', 1).catch(() => {});
    reply(ack, invalidPayload(e));
  };

  function onConnection(socket: PatrolSocket): void {
    const device = socket.data.device;

    socket.on('patrol:position', async (payload, ack) => {
      try {
        const who = reporter(socket);
        const e = Positions.error(payload);
        if (e) return invalid(ack, e);
        const fixes: Fix[] = payload.positions.map((p) => ({ lon: p.lon, lat: p.lat, time: p.time, heading: p.heading, speed: p.speed, accuracy: p.accuracy, battery: p.battery }));
        for (const f of fixes) for (const k of ['heading', 'speed', 'accuracy', 'battery'] as const) if (f[k] === undefined) delete f[k];
        const result = await app.positions.ingest(who.auth, fixes, 'socket', (i, f) => `positions.${i}.${f}`, 'auth.device');
        const { teamId: _t, deviceId: _d, ...accepted } = result;
        reply(ack, { data: accepted });
      } catch (err) {
        fail(socket, ack, err);
      }
    });

    socket.on('patrol:checkin', async (payload, ack) => {
      try {
        const who = reporter(socket);
        const e = CheckIn.error(payload);
        if (e) return invalid(ack, e);
        if (device && (await app.devices.store.byHash(device.hash)).status !== 'ok') throw new HttpError(403, 'auth.device names a revoked device', 'auth.device');
        reply(ack, { data: await app.checkins.checkIn({ teamId: who.teamId, by: who.by }, payload, '') });
      } catch (err) {
        fail(socket, ack, err);
      }
    });

    socket.on('patrol:duty', async (payload, ack) => {
      try {
        const who = reporter(socket);
        const e = Duty.error(payload);
        if (e) return invalid(ack, e);
        const status = payload.onDuty ? await app.teams.status.startShift(who.teamId) : await app.teams.status.endShift(who.teamId);
        reply(ack, { data: { status } });
      } catch (err) {
        fail(socket, ack, err);
      }
    });

    socket.on('patrol:sos', async (payload, ack) => {
      try {
        const who = reporter(socket);
        const e = Sos.error(payload);
        if (e) return invalid(ack, e);
        if (device && (await app.devices.store.byHash(device.hash)).status !== 'ok') throw new HttpError(403, 'auth.device names a revoked device', 'auth.device');
        const { alert, created } = await raiseSos(app, who.teamId, payload, '');
        reply(ack, { data: { alertId: alert.id, created } });
      } catch (err) {
        fail(socket, ack, err);
      }
    });

    socket.on('patrol:whoami', async (ack) => {
      try {
        const who = reporter(socket);
        const team = await app.teams.get(who.teamId);
        if (!team) throw new HttpError(404, `team ${who.teamId} no longer exists`);
        const { raw } = await app.geography.snapshot();
        const grids = new Set(team.gridIds);
        const identity: PatrolIdentity = {
          teamId: team.id,
          callSign: team.callSign,
          memberName: device ? ((await app.devices.store.get(device.id))?.memberName ?? null) : null,
          deviceId: device?.id ?? null,
          status: await app.teams.status.get(team.id),
          locations: raw.locations
            .filter((l) => l.gridId !== undefined && grids.has(l.gridId))
            .map((l) => {
              const [lon, lat] = locationPoint(l);
              return { id: l.id, name: l.name, category: l.category, lon, lat, radius: l.radius };
            }),
        };
        reply(ack, { data: identity });
      } catch (err) {
        fail(socket, ack, err);
      }
    });
  }

  app.io.of(PATROL_NAMESPACE).on('connection', onConnection);
  app.io.on('connection', (socket) => {
    // Signed-in patrol accounts on the main namespace: same events, their own team's room.
    if (socket.data.user?.role === 'patrol') onConnection(socket);
  });
}
