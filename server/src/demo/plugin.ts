/**
 * With DEMO on: once Redis is reachable, loads the demo county into an empty store and makes
 * sure the demo accounts exist, then prints how to sign in. `app.demoReady` resolves after.
 */
import fp from 'fastify-plugin';
import { whenReady } from '../plugins/redis.ts';
import { ensureDemoAccounts, loadDemoIfEmpty, DEMO_ACCOUNTS } from './load.ts';
import { ensureDemoShifts } from './shifts.ts';
import { seedDisputeHistory } from './disputes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    demoReady: Promise<void>;
  }
}

export default fp(
  async (app) => {
    let resolveReady!: () => void;
    app.decorate('demoReady', new Promise<void>((r) => (resolveReady = r)));
    if (!app.config.demo) return resolveReady();
    let stopped = false;

    /** Shifts for some teams, and the past disputes behind the mediation statistics (once per store). */
    async function seedDemoPlans(): Promise<void> {
      const now = app.clock.now();
      const [{ raw }, teams] = await Promise.all([app.geography.snapshot(), app.tracking.store.listTeams()]);
      const shifts = await ensureDemoShifts({ assignments: app.assignments, teams, locations: raw.locations, timeZone: app.config.timeZone, now });
      const disputes = await seedDisputeHistory({
        store: app.incidents.store,
        claim: async () => (await app.redis.set(app.keys.simHistory, String(now), { NX: true })) === 'OK',
        grids: raw.grids,
        teams,
        now,
      });
      if (shifts > 0 || disputes > 0) app.log.info({ shifts, disputes }, 'demo shifts and past disputes written');
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
            await loadDemoIfEmpty({ redis: app.redis, keys: app.keys, geography: app.geography.store, tracking: app.tracking.store, log: app.log });
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
            resolveReady();
            return;
          } catch (err) {
            if (!stopped) app.log.warn({ err: (err as Error).message }, 'demo data not loaded yet; retrying');
          }
        }
      })();
    });
  },
  { name: 'demo', dependencies: ['redis', 'geography', 'tracking', 'access'] },
);
