/**
 * With DEMO on: once Redis is reachable, loads the demo county into an empty store, makes sure
 * the demo accounts exist, seeds the demo's shifts, past disputes, coverage plan and the visits
 * of its key period's first two hours, then prints how to sign in. `app.demoReady` resolves
 * after (the coverage scheduler waits for it) and `app.demo.ready` turns true (health answers
 * 503 until then, so nobody is sent to a sign-in that would be refused). The demo writes
 * through the other domains' stores; none of them imports the demo.
 *
 * Restarting on an existing demo store writes nothing twice: the county, accounts and disputes
 * exist, shifts and check-ins have fixed ids, and the visit history is written once per demo
 * period (a restart within the week keeps the coverage the last run left).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { whenReady } from '../plugins/redis.ts';
import { ensureDemoAccounts, loadDemoIfEmpty, DEMO_ACCOUNTS } from './load.ts';
import { ensureDemoShifts } from './shifts.ts';
import { seedDisputeHistory } from './disputes.ts';
import { demoMediationRooms } from './mediationRooms.ts';
import { seedDemoPlan } from './coveragePlan.ts';
import { seedVisitHistory, type UpcomingCheckIn } from './visitHistory.ts';

declare module 'fastify' {
  interface FastifyInstance {
    demoReady: Promise<void>;
    demo: {
      /** DEMO is on. */
      enabled: boolean;
      /** The demo accounts can sign in and the demo's data is written (false while DEMO is off). */
      ready: boolean;
      /** Set by the simulator: where its teams check in next, so the history leaves those locations overdue. */
      upcomingCheckIns?: (now: number) => Promise<UpcomingCheckIn[]>;
    };
  }
}

export default fp(
  async (app) => {
    let resolveReady!: () => void;
    app.decorate('demoReady', new Promise<void>((r) => (resolveReady = r)));
    const demo: FastifyInstance['demo'] = { enabled: app.config.demo, ready: false };
    app.decorate('demo', demo);
    if (!app.config.demo) return resolveReady();
    let stopped = false;

    /** Shifts for some teams, the mediation rooms, the past disputes behind the mediation statistics (once per store) and the coverage plan. */
    async function seedDemoPlans(): Promise<void> {
      const now = app.clock.now();
      const [{ raw }, teams] = await Promise.all([app.geography.snapshot(), app.teams.list()]);
      const shifts = await ensureDemoShifts({ assignments: app.assignments, teams, locations: raw.locations, timeZone: app.config.timeZone, now });
      // The mediation rooms first: the past disputes name the rooms that mediated them.
      const rooms = demoMediationRooms(raw.townships, raw.villages);
      const roomsAdded = await app.mediation.rooms.seed(rooms);
      if (roomsAdded > 0) app.log.info({ rooms: roomsAdded }, 'demo mediation rooms written');
      const disputes = await seedDisputeHistory({
        rooms,
        store: app.incidents.store,
        claim: async () => (await app.redis.set(app.keys.simHistory, String(now), { NX: true })) === 'OK',
        grids: raw.grids,
        teams,
        now,
      });
      if (shifts > 0 || disputes > 0) app.log.info({ shifts, disputes }, 'demo shifts and past disputes written');
      const period = await seedDemoPlan({ store: app.coverage.store, redis: app.redis, keys: app.keys, now: app.clock.now(), timeZone: app.config.timeZone, teams, log: app.log });
      if (period?.start) await seedHistory(period.start);
    }

    /** The visits of the demo period's past hours (once per period), before the coverage scheduler's first pass. */
    async function seedHistory(periodStart: string): Promise<void> {
      const now = app.clock.now();
      const [places, config, teams] = await Promise.all([app.geography.places.current(), app.coverage.store.load(), app.teams.list()]);
      const upcoming = (await demo.upcomingCheckIns?.(now).catch((err: Error) => (app.log.warn({ err: err.message }, 'demo: simulated patrols not planned'), []))) ?? [];
      const visits = await seedVisitHistory({
        redis: app.redis,
        keys: app.keys,
        flagKey: `${app.keys.covDemo}:history`,
        periodStart,
        places,
        config,
        teams,
        upcoming,
        engine: app.coverage.engine,
        now,
        timeZone: app.config.timeZone,
        dueSoonFraction: app.config.dueSoonFraction,
        retentionMs: app.config.retentionDays * 86_400_000,
      });
      if (visits > 0) app.log.info({ visits, periodStart }, 'demo: visits of the key period so far written');
    }
    app.addHook('preClose', async () => {
      stopped = true;
    });
    app.addHook('onReady', async () => {
      // In the background: the server answers (health 503) while Redis is still coming up.
      void (async () => {
        while (!stopped) {
          try {
            await whenReady(app.redis, 5000);
            await loadDemoIfEmpty({ redis: app.redis, keys: app.keys, geography: app.geography.store, teams: app.teams, log: app.log });
            const { organisations } = await app.geography.store.load();
            const accounts = await ensureDemoAccounts({ redis: app.redis, keys: app.keys, access: app.access, organisations, password: app.config.demoPassword });
            await seedDemoPlans();
            const names = DEMO_ACCOUNTS.map((a) => a.username).join(', ');
            if (accounts.generatedPassword) {
              // Printed this once: Redis keeps only its hash, as for any password.
              app.log.info({ accounts: accounts.created.join(', '), password: accounts.generatedPassword }, 'demo accounts created: sign in with this password, shown only now (or set DEMO_PASSWORD)');
            } else {
              const password = app.config.demoPassword ? '(DEMO_PASSWORD)' : '(printed when the accounts were created; set DEMO_PASSWORD to choose one)';
              app.log.info({ accounts: names, password }, 'demo accounts ready: sign in with one of these');
            }
            demo.ready = true;
            resolveReady();
            return;
          } catch (err) {
            if (!stopped) app.log.warn({ err: (err as Error).message }, 'demo data not loaded yet; retrying');
          }
        }
      })();
    });
  },
  { name: 'demo', dependencies: ['redis', 'geography', 'teams', 'access', 'mediation'] },
);
