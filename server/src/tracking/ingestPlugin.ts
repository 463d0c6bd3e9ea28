/**
 * Registers position ingest (`app.positions`), derived team status (`app.teamStatus`, swept
 * every second in every process), the patrol sockets, the query routes, and the dedicated
 * OsmAnd listener on OSMAND_PORT (`app.osmand.port` once bound).
 */
import fp from 'fastify-plugin';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TeamStatusChange } from '../teams/schemas.ts';
import { PATROL_NAMESPACE, ROOMS, teamRoom } from '../events.ts';
import errorsPlugin from '../plugins/errors.ts';
import { DEVICE_LOG_SERIALIZERS } from '../devices/requestLog.ts';
import { createIngest, type Ingest } from './ingest.ts';
import { createTeamStatus, type TeamStatusService } from './status.ts';
import ingestRoutes, { registerOsmAnd } from './ingestRoutes.ts';
import queryRoutes from './queryRoutes.ts';
import { registerPatrolSockets } from './patrolSocket.ts';

declare module 'fastify' {
  interface FastifyInstance {
    positions: Ingest;
    teamStatus: TeamStatusService;
    /** The dedicated OsmAnd listener: its port once bound, null when it is not listening. */
    osmand: { port: number | null };
  }
}

const SWEEP_MS = 1000;

export default fp(
  async (app) => {
    const config = app.config;
    app.decorate(
      'positions',
      createIngest({
        redis: app.redis,
        keys: app.keys,
        locations: app.checkins.locations,
        now: () => app.clock.now(),
        retentionMs: config.retentionDays * 86_400_000,
        futureToleranceMs: config.futureToleranceS * 1000,
        dwellMs: config.checkinDwellS * 1000,
        poorAccuracyM: config.poorAccuracyM,
        publish: (positions) => app.tracking.publish(positions),
        announceCheckIns: (checkIns) => app.checkins.announce(checkIns),
      }),
    );

    const announceStatus = (changes: TeamStatusChange[]) => {
      const at = app.clock.now();
      app.io.to(ROOMS.dashboards).emit('team:status', { changes, at });
      for (const change of changes) {
        const own = { changes: [change], at };
        app.io.to(teamRoom(change.teamId)).emit('team:status', own);
        app.io.of(PATROL_NAMESPACE).to(teamRoom(change.teamId)).emit('team:status', own);
      }
    };
    const status = createTeamStatus({
      redis: app.redis,
      keys: app.keys,
      now: () => app.clock.now(),
      offlineAfterMs: config.offlineAfterS * 1000,
      offDutyAfterMs: config.offDutyAfterS * 1000,
      announce: announceStatus,
    });
    app.decorate('teamStatus', status);

    let sweeper: NodeJS.Timeout | undefined;
    let sweeping = false;
    app.addHook('onReady', async () => {
      sweeper = setInterval(() => {
        if (sweeping || !app.redis.isReady) return;
        sweeping = true;
        status
          .sweep()
          .catch((err: Error) => app.log.warn({ err: err.message }, 'team status sweep failed'))
          .finally(() => (sweeping = false));
      }, SWEEP_MS);
      sweeper.unref();
    });
    const statsFlusher = setInterval(() => void app.positions.flushStats().catch(() => {}), 1000);
    statsFlusher.unref();
    app.addHook('preClose', async () => {
      // The socket plugin disconnects the maps (namespace /); the patrol pages are ours.
      app.io.of(PATROL_NAMESPACE).local.disconnectSockets(true);
      if (sweeper) clearInterval(sweeper);
      clearInterval(statsFlusher);
      await app.positions.flushStats().catch(() => {});
    });

    registerPatrolSockets(app);
    await app.register(ingestRoutes);
    await app.register(queryRoutes);

    // OsmAnd and Traccar Client are configured with a host and a port only: answer at / there.
    const osmand = { port: null as number | null };
    app.decorate('osmand', osmand);
    let listener: FastifyInstance | undefined;
    app.addHook('onReady', async () => {
      listener = Fastify({
        // Every request here is a device's: no URL with its identifier in the log, even a 404's.
        loggerInstance: app.log.child({ listener: 'osmand' }, { serializers: DEVICE_LOG_SERIALIZERS }),
        bodyLimit: 1024 * 1024,
        forceCloseConnections: true,
        trustProxy: config.trustProxy,
      });
      await listener.register(errorsPlugin);
      await listener.register(async (scope) => registerOsmAnd(scope, app, '/'));
      // Fastify's own 404 logs the whole URL, identifier included.
      listener.setNotFoundHandler((request, reply) => reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `${request.method} ${request.url.split('?')[0]} not found: report to /` }));
      try {
        await listener.listen({ port: config.osmandPort, host: config.host });
        osmand.port = (listener.server.address() as { port: number }).port;
        app.log.info({ port: osmand.port }, 'OsmAnd listener ready');
      } catch (err) {
        // The API and /osmand on the main port keep working; devices configured for this port do not.
        app.log.error({ err: (err as Error).message, port: config.osmandPort }, 'OsmAnd listener could not start (OSMAND_PORT)');
        await listener.close().catch(() => {});
        listener = undefined;
      }
    });
    app.addHook('onClose', async () => {
      await listener?.close();
    });
  },
  { name: 'tracking-ingest', dependencies: ['redis', 'socket', 'access', 'tracking', 'geography', 'devices', 'checkins'] },
);
