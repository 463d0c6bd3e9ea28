/**
 * Registers the assessment report (`app.reports`): its route and the periodic roll-up of tracks
 * and check-ins into duty, distance and visits (REPORT_ROLLUP_MS; one process counts each window).
 * The other figures are counted by the scripts that record their facts (tally.ts).
 */
import fp from 'fastify-plugin';
import { createRollUp, type RollUp } from './rollUp.ts';
import reportRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    reports: { rollUp: RollUp };
  }
}

export default fp(
  async (app) => {
    const rollUp = createRollUp({ redis: app.redis, keys: app.keys, timeZone: app.config.timeZone, teamIds: async () => (await app.teams.list()).map((t) => t.id) });
    app.decorate('reports', { rollUp });
    await app.register(reportRoutes);
    if (app.config.reportRollUpMs > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        rollUp
          .run(app.clock.now())
          .catch((err: Error) => app.log.warn({ err: err.message }, 'reports: roll-up failed; the next run counts the window'))
          .finally(() => (running = false));
      }, app.config.reportRollUpMs);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
  },
  { name: 'reports', dependencies: ['redis', 'access', 'teams', 'geography'] },
);
