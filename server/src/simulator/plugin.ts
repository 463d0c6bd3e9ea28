/**
 * Runs the simulator on a timer when SIMULATE is on. A Redis lease (SET NX PX) makes sure
 * that with several server processes only one of them reports simulated positions.
 */
import fp from 'fastify-plugin';
import { planRoutes, simulatePositions } from './simulator.ts';
import { DEMO_STOP_CATEGORIES } from '../demo/coverage.ts';

type Routes = ReturnType<typeof planRoutes>;

export default fp(
  async (app) => {
    const { simulate, simulateIntervalMs, simulateSpeedup } = app.config;
    if (!simulate) return;
    const me = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    let timer: NodeJS.Timeout | undefined;
    let routes: { version: number; routes: Routes } | undefined;
    let stopped = false;

    async function holdLease(): Promise<boolean> {
      const ttl = simulateIntervalMs * 3;
      if ((await app.redis.set(app.keys.simLeader, me, { NX: true, PX: ttl })) === 'OK') return true;
      if ((await app.redis.get(app.keys.simLeader)) !== me) return false;
      await app.redis.pExpire(app.keys.simLeader, ttl);
      return true;
    }

    async function tick() {
      if (!app.redis.isReady || !(await holdLease())) return;
      const snapshot = await app.geography.snapshot();
      if (!routes || routes.version !== snapshot.version) {
        const teams = await app.tracking.store.listTeams();
        // Through the key locations the demo's key period covers, stopping to check in at each.
        routes = { version: snapshot.version, routes: planRoutes(teams, snapshot.raw.grids, { locations: snapshot.raw.locations, categories: DEMO_STOP_CATEGORIES, dwellMs: (app.config.checkinDwellS + 30) * 1000 }) };
      }
      const positions = simulatePositions(routes.routes, app.clock.now(), simulateSpeedup);
      // The full pipeline, as a phone's fixes: dwell at a key location becomes a check-in.
      await Promise.all(
        positions.map(({ teamId, ...fix }) =>
          app.positions.ingest({ teamId, by: 'simulator' }, [fix], 'http', (_i, field) => `simulator.${field}`, 'simulator').catch((err: Error) => app.log.debug({ err: err.message, teamId }, 'simulated fix refused')),
        ),
      );
    }

    async function loop() {
      try {
        await tick();
      } catch (err) {
        app.log.warn({ err: (err as Error).message }, 'simulator tick failed');
      }
      if (!stopped) timer = setTimeout(loop, simulateIntervalMs);
    }

    app.addHook('onReady', async () => {
      // The demo (when on) loads first, so the simulator starts with teams to move.
      void app.demoReady.then(() => {
        if (stopped) return;
        app.log.info({ intervalMs: simulateIntervalMs, speedup: simulateSpeedup }, 'patrol simulator running');
        void loop();
      });
    });
    app.addHook('preClose', async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (app.redis.isReady && (await app.redis.get(app.keys.simLeader).catch(() => null)) === me) {
        await app.redis.del(app.keys.simLeader).catch(() => {});
      }
    });
  },
  { name: 'simulator', dependencies: ['redis', 'geography', 'tracking', 'tracking-ingest', 'demo'] },
);
