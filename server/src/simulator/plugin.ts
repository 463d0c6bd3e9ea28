/**
 * Runs the simulator on a timer when SIMULATE is on. A Redis lease (SET NX PX) makes sure
 * that with several server processes only one of them reports simulated positions. With DEMO
 * on too, it also runs the demo's trickle of incidents (incidents.ts), and a team responding
 * to one moves toward it instead of along its loop.
 */
import fp from 'fastify-plugin';
import { distanceMetres, type Team, type TeamPosition } from '@lianfang/geo';
import { planRoutes, simulatePositions, stopArrivals, stopDwellMs } from './simulator.ts';
import { createRealDevices, SIMULATOR_DEVICE } from './realDevices.ts';
import { DEMO_STOP_CATEGORIES } from '../demo/coveragePlan.ts';
import { createTrickle, type TrickleTick } from './incidents.ts';
import { ensureDemoShifts } from '../demo/shifts.ts';

type Routes = ReturnType<typeof planRoutes>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Present while SIMULATE is on: one tick at the app's clock (tests drive it instead of the timer). */
    simulator?: { tick(): Promise<TrickleTick | undefined> };
  }
}

export default fp(
  async (app) => {
    const { simulate, simulateIntervalMs, simulateSpeedup } = app.config;
    if (!simulate) return;
    const me = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    let timer: NodeJS.Timeout | undefined;
    let routes: { version: number; shifts: Map<string, unknown>; routes: Routes; byTeam: Map<string, Routes[number]>; teams: Map<string, Team> } | undefined;
    let stopped = false;
    let shiftsWrittenHour = -1;
    /** Teams on their way from their old loop to a new one (in memory: after a lease move they jump). */
    const changingLoop = new Map<string, { lon: number; lat: number; at: number; ms: number }>();
    /** Where a team on its loop is at `at`, on the way over from its old loop while its loop just changed. */
    function overLoopChange(p: TeamPosition, at: number): TeamPosition {
      const change = changingLoop.get(p.teamId);
      const f = change ? (at - change.at) / change.ms : 1;
      if (!change || f >= 1 || f < 0) return p;
      return { ...p, lon: Math.round((change.lon + (p.lon - change.lon) * f) * 1e6) / 1e6, lat: Math.round((change.lat + (p.lat - change.lat) * f) * 1e6) / 1e6 };
    }
    const realDevices = createRealDevices({ redis: app.redis, keys: app.keys, holdMs: app.config.offDutyAfterS * 1000 });
    const trickle = app.config.demo
      ? createTrickle({
          app,
          routePosition(teamId, at) {
            // A team whose own phone reports is not simulated: no position, no simulated steps.
            const route = realDevices.isReal(teamId) ? undefined : routes?.byTeam.get(teamId);
            return route ? overLoopChange(simulatePositions([route], at, simulateSpeedup)[0]!, at) : undefined;
          },
          teams: () => routes?.teams ?? new Map(),
          speedup: simulateSpeedup,
        })
      : undefined;

    async function holdLease(): Promise<boolean> {
      const ttl = simulateIntervalMs * 3;
      if ((await app.redis.set(app.keys.simLeader, me, { NX: true, PX: ttl })) === 'OK') return true;
      if ((await app.redis.get(app.keys.simLeader)) !== me) return false;
      await app.redis.pExpire(app.keys.simLeader, ttl);
      return true;
    }

    /** The loops at `now`: replanned when the geography or the shifts changed. */
    async function currentRoutes(now: number): Promise<NonNullable<typeof routes>> {
      const [snapshot, shifts] = await Promise.all([app.geography.snapshot(), app.assignments.activeByTeam(now)]);
      if (!routes || routes.version !== snapshot.version || routes.shifts !== shifts) {
        // A team on a shift patrols the shift's grids (the teams as assigned now), otherwise its own.
        const teams = [...(await app.teams.assigned(true)).values()];
        // Through the key locations the demo's key period covers, stopping to check in at each.
        const planned = planRoutes(teams, snapshot.raw.grids, { locations: snapshot.raw.locations, categories: DEMO_STOP_CATEGORIES, dwellMs: stopDwellMs(app.config.checkinDwellS) });
        const byTeam = new Map(planned.map((r) => [r.teamId, r]));
        // A team whose loop changed (its shift began or ended) makes its way over to the new one.
        for (const r of planned) {
          const old = routes?.byTeam.get(r.teamId);
          if (!old) continue;
          const [a, b] = [simulatePositions([old], now, simulateSpeedup)[0]!, simulatePositions([r], now, simulateSpeedup)[0]!];
          const metres = distanceMetres(a.lon, a.lat, b.lon, b.lat);
          if (metres > 100) changingLoop.set(r.teamId, { lon: a.lon, lat: a.lat, at: now, ms: Math.min(15 * 60_000, Math.max(30_000, (metres / 4) * 1000)) / simulateSpeedup });
        }
        routes = { version: snapshot.version, shifts, routes: planned, byTeam, teams: new Map(teams.map((t) => [t.id, t])) };
      }
      return routes;
    }

    // The demo plans its past visits around where the teams check in next.
    app.demo.upcomingCheckIns = async (now) => {
      const { routes: planned } = await currentRoutes(now);
      // Checked in once the server has seen it stay the dwell, a report or so after it arrived.
      const after = app.config.checkinDwellS * 1000 + simulateIntervalMs;
      return planned.flatMap((r) => stopArrivals(r, now, simulateSpeedup).arrivals.map((a) => ({ locationId: a.locationId, teamId: r.teamId, at: a.at + after })));
    };

    async function tick(): Promise<TrickleTick | undefined> {
      if (!app.redis.isReady || !(await holdLease())) return undefined;
      const now = app.clock.now();
      if (app.config.demo && Math.floor(now / 3_600_000) !== shiftsWrittenHour) {
        // The demo's shifts run out: write the next ones every hour.
        const snap = await app.geography.snapshot();
        await ensureDemoShifts({ assignments: app.assignments, teams: await app.teams.list(), locations: snap.raw.locations, timeZone: app.config.timeZone, now });
        shiftsWrittenHour = Math.floor(now / 3_600_000);
      }
      routes = await currentRoutes(now);
      const simulated = await realDevices.simulated(routes.routes.map((r) => r.teamId), now);
      let incidents: TrickleTick | undefined;
      if (trickle) {
        try {
          incidents = await trickle.tick(now);
        } catch (err) {
          app.log.warn({ err: (err as Error).message }, 'simulated incidents tick failed');
        }
      }
      const positions = simulatePositions(routes.routes.filter((r) => simulated.has(r.teamId)), now, simulateSpeedup).map((p) => {
        const responding = incidents?.overrides.get(p.teamId);
        if (responding) return { ...p, ...responding };
        return overLoopChange(p, now);
      });
      for (const [teamId, change] of changingLoop) if (now >= change.at + change.ms) changingLoop.delete(teamId);
      // The full pipeline, as a phone's fixes: dwell at a key location becomes a check-in.
      await Promise.all(
        positions.map(({ teamId, ...fix }) =>
          app.positions.ingest({ teamId, by: SIMULATOR_DEVICE }, [fix], 'http', (_i, field) => `simulator.${field}`, 'simulator').catch((err: Error) => app.log.debug({ err: err.message, teamId }, 'simulated fix refused')),
        ),
      );
      return incidents;
    }

    // One tick at a time, whether the timer or a test asks.
    let running: Promise<TrickleTick | undefined> = Promise.resolve(undefined);
    const serialTick = () => (running = running.catch(() => undefined).then(tick));
    app.decorate('simulator', { tick: serialTick });

    async function loop() {
      try {
        await serialTick();
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
  { name: 'simulator', dependencies: ['redis', 'geography', 'tracking', 'tracking-ingest', 'assignments', 'demo'] },
);
