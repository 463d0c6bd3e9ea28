/**
 * Registers the assessment report (`app.reports`): its route and the periodic roll-up of tracks
 * and check-ins into duty, distance and visits (REPORT_ROLLUP_MS; one process counts each window).
 * The other figures are counted by the scripts that record their facts (tally.ts). Also the
 * daily briefing (日报): every BRIEFING_TICK_MS each process looks whether the previous day's is
 * due (BRIEFING_AT); one stores it and sends it to the webhooks.
 */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { createRollUp, type RollUp } from './rollUp.ts';
import reportRoutes from './routes.ts';
import briefingRoutes from './briefingRoutes.ts';
import { briefingSummary, createBriefings, type Briefings } from './briefing.ts';
import { reportContext } from './context.ts';
import { every } from '../periodic.ts';

declare module 'fastify' {
  interface FastifyInstance {
    reports: { rollUp: RollUp; briefings: Briefings };
  }
}

export default fp(
  async (app) => {
    const rollUp = createRollUp({ redis: app.redis, keys: app.keys, timeZone: app.config.timeZone, teamIds: async () => (await app.teams.list()).map((t) => t.id) });
    const briefings = createBriefings({
      redis: app.redis,
      keys: app.keys,
      timeZone: app.config.timeZone,
      at: app.config.briefingAt,
      retentionMs: app.config.retentionDays * 86_400_000,
      processId: randomUUID(),
      context: () => reportContext(app),
      rollUp: (now) => rollUp.run(now),
      onProduced: async (b) => {
        const { title, lines } = briefingSummary(b);
        await app.webhooks.enqueueMessage({ kind: 'briefing', title, lines, link: `${app.config.publicUrl}/reports/briefing?day=${b.day}`, data: b });
        app.log.info({ day: b.day }, 'reports: daily briefing produced');
      },
    });
    app.decorate('reports', { rollUp, briefings });
    await app.register(reportRoutes);
    await app.register(briefingRoutes);
    every(app, app.config.reportRollUpMs, () => rollUp.run(app.clock.now()), 'reports: roll-up failed; the next run counts the window');
    every(app, app.config.briefingTickMs, () => briefings.tick(app.clock.now()), 'reports: daily briefing failed; the next tick tries again');
  },
  { name: 'reports', dependencies: ['redis', 'access', 'teams', 'geography', 'webhooks'] },
);
