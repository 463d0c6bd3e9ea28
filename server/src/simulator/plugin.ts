/**
 * Runs the simulator on a timer when SIMULATE is on. A Redis lease (SET NX PX) makes sure
 * that with several server processes only one of them reports simulated positions.
 */
import fp from 'fastify-plugin';
import { planRoutes, simulatePositions } from './simulator.ts';

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
        routes = { version: snapshot.version, routes: planRoutes(teams, snapshot.raw.grids) };
      }
      await app.tracking.ingest(simulatePositions(routes.routes, app.clock.now(), simulateSpeedup));
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
  { name: 'simulator', dependencies: ['redis', 'geography', 'tracking', 'demo'] },
);
