/** Registers check-ins (`app.checkins`): explicit and QR ones, queries, and their live announcements. */
import fp from 'fastify-plugin';
import type { CheckIn } from './schemas.ts';
import { PATROL_NAMESPACE, ROOMS, teamRoom } from '../events.ts';
import { createCheckInStore } from './store.ts';
import { createQrCodes } from './qr.ts';
import { createCheckInService, type CheckInService } from './service.ts';
import checkInRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    checkins: CheckInService & {
      /** Tells the maps and the teams' own patrol pages (already in Redis). */
      announce(checkIns: CheckIn[]): void;
    };
  }
}

export default fp(
  async (app) => {
    const retentionMs = app.config.retentionDays * 86_400_000;
    const announce = (checkIns: CheckIn[]) => {
      const at = app.clock.now();
      app.io.to(ROOMS.dashboards).emit('team:checkins', { checkIns, at });
      for (const teamId of new Set(checkIns.map((c) => c.teamId))) {
        const own = { checkIns: checkIns.filter((c) => c.teamId === teamId), at };
        app.io.to(teamRoom(teamId)).emit('team:checkins', own);
        app.io.of(PATROL_NAMESPACE).to(teamRoom(teamId)).emit('team:checkins', own);
      }
      // Every check-in is a visit for the coverage engine (which also re-reads the streams every minute).
      void app.coverage?.recordVisits(checkIns);
    };
    const service = createCheckInService({
      store: createCheckInStore(app.redis, app.keys, { retentionMs }),
      qr: createQrCodes(app.redis, app.keys, { now: () => app.clock.now(), lifetimeMs: app.config.checkinQrRotateDays * 86_400_000 }),
      places: app.geography.places,
      now: () => app.clock.now(),
      futureToleranceMs: app.config.futureToleranceS * 1000,
      offlineWindowMs: app.config.checkinOfflineWindowMin * 60_000,
      maxAccuracyBonusM: app.config.poorAccuracyM,
      announce,
    });
    app.decorate('checkins', Object.assign(service, { announce }));
    await app.register(checkInRoutes);
  },
  { name: 'checkins', dependencies: ['redis', 'socket', 'access', 'geography', 'devices'] },
);
