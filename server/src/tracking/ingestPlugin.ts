/**
 * Registers position ingest (`app.positions`), the ingest and query routes, and the
 * dedicated OsmAnd listener on OSMAND_PORT (`app.osmand.port` once bound).
 */
import fp from 'fastify-plugin';
import Fastify, { type FastifyInstance } from 'fastify';
import errorsPlugin from '../plugins/errors.ts';
import { fastifyTrustProxy } from '../config.ts';
import { DEVICE_LOG_SERIALIZERS } from '../devices/requestLog.ts';
import { createIngest, type Ingest } from './ingest.ts';
import ingestRoutes, { registerOsmAnd } from './ingestRoutes.ts';
import queryRoutes from './queryRoutes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    positions: Ingest;
    /** The dedicated OsmAnd listener: its port once bound, null when it is not listening. */
    osmand: { port: number | null };
  }
}

export default fp(
  async (app) => {
    const config = app.config;
    app.decorate(
      'positions',
      createIngest({
        redis: app.redis,
        keys: app.keys,
        places: app.geography.places,
        now: () => app.clock.now(),
        retentionMs: config.retentionDays * 86_400_000,
        futureToleranceMs: config.futureToleranceS * 1000,
        dwellMs: config.checkinDwellS * 1000,
        poorAccuracyM: config.poorAccuracyM,
        publish: (positions) => app.tracking.publish(positions),
        announceCheckIns: (checkIns) => app.checkins.announce(checkIns),
      }),
    );

    const statsFlusher = setInterval(() => void app.positions.flushStats().catch(() => {}), 1000);
    statsFlusher.unref();
    app.addHook('preClose', async () => {
      clearInterval(statsFlusher);
      await app.positions.flushStats().catch(() => {});
    });

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
        trustProxy: fastifyTrustProxy(config.trustProxy),
      });
      await listener.register(errorsPlugin);
      await listener.register(async (scope) => registerOsmAnd(scope, app, '/'));
      // Fastify's own 404 logs the whole URL, identifier included.
      listener.setNotFoundHandler((request, reply) => reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `${request.method} ${request.url.split('?')[0]} not found: report to /`, code: 'not_found' }));
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
