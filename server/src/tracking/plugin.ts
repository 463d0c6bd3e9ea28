/** Registers the tracking store, the coalescing broadcaster and the tracking routes. */
import fp from 'fastify-plugin';
import { createTrackingStore } from './store.ts';
import { createTrackingService, type TrackingService } from './service.ts';
import { PositionBroadcaster } from './broadcaster.ts';
import trackingRoutes from './routes.ts';
import { ROOMS } from '../events.ts';

declare module 'fastify' {
  interface FastifyInstance {
    tracking: TrackingService;
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
    app.addHook('onReady', async () => broadcaster.start());
    app.addHook('preClose', async () => broadcaster.stop());
    await app.register(trackingRoutes);
  },
  { name: 'tracking', dependencies: ['redis', 'socket', 'teams', 'scope'] },
);
