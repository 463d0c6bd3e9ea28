/**
 * Registers the alert service and routes, and announces every alert transition (already in
 * Redis) to the maps: `alert:raised` and `alert:updated` to the `dashboards` room, coalesced per
 * BROADCAST_TICK_MS, through the Redis adapter, so a dashboard on any server process sees it. Level 2 (escalated) alerts go
 * to the same room with their level: leaders are in it.
 */
import fp from 'fastify-plugin';
import { ROOMS } from '../events.ts';
import { createAlertsService, type AlertsService } from './service.ts';
import alertRoutes from './routes.ts';
import { AlertBroadcaster } from './broadcaster.ts';
import type { ScriptResult } from './alertScripts.ts';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertsService & { onTransition(listener: (result: ScriptResult) => void): void };
  }
}

export default fp(
  async (app) => {
    const service = createAlertsService({
      redis: app.redis,
      keys: app.keys,
      now: () => app.clock.now(),
      geography: app.geography.places,
      roster: app.teams,
      escalateAfterMs: app.config.escalateAfterMin * 60_000,
      retentionMs: app.config.retentionDays * 86_400_000,
      outsideGraceMs: app.config.outsideGraceS * 1000,
      batteryLowPercent: app.config.batteryLowPercent,
      timeZone: app.config.timeZone,
      publish(result) {
        if (result.raisedCount > 0 || result.updatedCount > 0) {
          broadcaster.push(result);
          for (const listener of listeners) listener(result);
        }
      },
    });
    /** Others hearing each transition this process made (webhooks), once across processes. */
    const listeners: Array<(result: ScriptResult) => void> = [];
    const broadcaster = new AlertBroadcaster((event, batch) => app.io.to(ROOMS.dashboards).emit(event, batch), (a) => service.toView(a), () => app.clock.now(), app.config.broadcastTickMs);
    app.addHook('onReady', async () => broadcaster.start());
    app.addHook('preClose', async () => broadcaster.stop());
    app.decorate('alerts', Object.assign(service, { onTransition: (listener: (result: ScriptResult) => void) => void listeners.push(listener) }));
    await app.register(alertRoutes);
  },
  { name: 'alerts', dependencies: ['redis', 'socket', 'access', 'geography', 'teams', 'assignments'] },
);
