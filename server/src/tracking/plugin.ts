/** Registers the tracking store, the coalescing broadcaster, history compaction and the tracking routes. */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { createTrackingStore } from './store.ts';
import { createTrackingService, type TrackingService } from './service.ts';
import { PositionBroadcaster } from './broadcaster.ts';
import trackingRoutes from './routes.ts';
import { ROOMS } from '../events.ts';
import { EVIDENCE_WINDOW_MS } from '../checkins/evidence.ts';
import { createCompactor, type Compactor } from './compactor.ts';

declare module 'fastify' {
  interface FastifyInstance {
    tracking: TrackingService;
    /** Track history compaction (runs itself every HISTORY_COMPACT_TICK_MS; tests call `compactAll`). */
    history: Compactor;
  }
}

export default fp(
  async (app) => {
    const store = createTrackingStore(app.redis, app.keys);
    const broadcaster = new PositionBroadcaster(
      (batch) => app.io.to(ROOMS.dashboards).emit('team:positions', batch),
      () => app.clock.now(),
      app.config.broadcastTickMs,
    );
    app.decorate('tracking', createTrackingService({ store, teams: app.teams, broadcaster }));
    const config = app.config;
    const history = createCompactor({
      redis: app.redis,
      keys: app.keys,
      now: () => app.clock.now(),
      retentionMs: config.retentionDays * 86_400_000,
      recentMs: historyRecentMs(config),
      teamIds: async () => (await app.teams.list()).map((t) => t.id),
      me: randomUUID(),
      onError: (err) => app.log.error({ err }, 'track history compaction failed'),
    });
    app.decorate('history', history);
    app.addHook('onReady', async () => {
      broadcaster.start();
      history.start(config.historyCompactTickMs);
    });
    app.addHook('preClose', async () => {
      broadcaster.stop();
      await history.stop();
    });
    await app.register(trackingRoutes);
  },
  { name: 'tracking', dependencies: ['redis', 'socket', 'teams', 'scope'] },
);

/**
 * How long positions stay in the stream before compaction: HISTORY_RECENT_MIN, but never less
 * than what reads the stream itself needs, the evidence behind a check-in sent from offline
 * (its window plus the phone clock's tolerance) and the simulator's test of whether a real
 * phone drives a team (OFF_DUTY_AFTER_S).
 */
export function historyRecentMs(config: { historyRecentMin: number; checkinOfflineWindowMin: number; futureToleranceS: number; offDutyAfterS: number }): number {
  return Math.max(config.historyRecentMin * 60_000, config.checkinOfflineWindowMin * 60_000 + EVIDENCE_WINDOW_MS + config.futureToleranceS * 1000, config.offDutyAfterS * 1000);
}
