/**
 * Registers the coverage engine (`app.coverage`), its scheduler, the coalescing
 * `coverage:changed` broadcaster and the coverage routes. The scheduler starts once the demo
 * (with DEMO on) has seeded its plan, so its first pass already sees it.
 * Visits reach the engine two ways: check-in code calls `app.coverage.recordVisits(checkIns)`
 * right after its write (instant), and the scheduler re-reads the check-in streams at start
 * and every minute (nothing lost if a process died in between).
 */
import fp from 'fastify-plugin';
import type { CheckIn } from '../checkins/schemas.ts';
import { ROOMS } from '../events.ts';
import { ConfigError } from '../config.ts';
import { CoverageBroadcaster } from './broadcaster.ts';
import { createCoverageEngine, type CoverageEngine } from './engine.ts';
import { createScheduler, type Scheduler } from './scheduler.ts';
import { createCoverageStore, type CoverageStore } from './store.ts';
import planRoutes from './planRoutes.ts';
import calendarRoutes from './calendarRoutes.ts';
import previewRoutes from './previewRoutes.ts';
import coverageRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    coverage: {
      engine: CoverageEngine;
      store: CoverageStore;
      scheduler: Scheduler;
      /** This process's queue of coverage changes for the maps (sent every BROADCAST_TICK_MS). */
      broadcaster: CoverageBroadcaster;
      /**
       * Tells the engine about check-ins already in Redis (automatic, explicit, QR). Never
       * rejects: a failure is logged and the next reconciliation picks the visit up.
       */
      recordVisits(checkIns: Pick<CheckIn, 'locationId' | 'teamId' | 'time'>[]): Promise<void>;
    };
  }
}

export default fp(
  async (app) => {
    const { coverageTickMs } = app.config;
    if (coverageTickMs > 0 && coverageTickMs < 100) throw new ConfigError('COVERAGE_TICK_MS', `must be 0 (off) or at least 100, got ${coverageTickMs}`);
    const store = createCoverageStore(app.redis, app.keys);
    const broadcaster = new CoverageBroadcaster((batch) => app.io.to(ROOMS.dashboards).emit('coverage:changed', batch), () => app.clock.now(), app.config.broadcastTickMs);
    const engine = createCoverageEngine({
      redis: app.redis,
      keys: app.keys,
      clock: app.clock,
      store,
      geography: app.geography.places,
      roster: app.teams,
      alerts: app.alerts,
      announce: (changes, reload) => broadcaster.push(changes, reload),
      timeZone: app.config.timeZone,
      dueSoonFraction: app.config.dueSoonFraction,
    });
    const scheduler = createScheduler({ redis: app.redis, keys: app.keys, clock: app.clock, log: app.log, engine, alerts: app.alerts, tickMs: coverageTickMs });
    app.decorate('coverage', {
      engine,
      store,
      scheduler,
      broadcaster,
      async recordVisits(checkIns) {
        try {
          await engine.recordVisits(checkIns.map((c) => ({ locationId: c.locationId, teamId: c.teamId, time: c.time })));
        } catch (err) {
          app.log.warn({ err: (err as Error).message, count: checkIns.length }, 'coverage: visits not recorded yet; reconciliation will');
        }
      },
    });

    let stopped = false;
    app.addHook('onReady', async () => {
      broadcaster.start();
      // In the background, like the demo: the server answers while Redis comes up.
      void app.demoReady
        .then(() => {
          if (!stopped) scheduler.start();
        })
        .catch((err: Error) => app.log.error({ err: err.message }, 'coverage: could not start'));
    });
    app.addHook('preClose', async () => {
      stopped = true;
      scheduler.stop();
      broadcaster.stop();
    });

    await app.register(planRoutes);
    await app.register(calendarRoutes);
    await app.register(previewRoutes);
    await app.register(coverageRoutes);
  },
  { name: 'coverage', dependencies: ['redis', 'socket', 'access', 'alerts', 'demo', 'orders'] },
);
