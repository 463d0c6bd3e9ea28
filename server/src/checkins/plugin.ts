/** Registers check-ins (`app.checkins`): explicit and QR ones, queries, and their live announcements. */
import fp from 'fastify-plugin';
import type { CheckIn } from './schemas.ts';
import { PATROL_NAMESPACE, readOnlyRoom, teamRoom } from '../events.ts';
import { groupByRooms } from '../live/byRooms.ts';
import { placedCheckIn, roomsOfPlaced } from '../scope/rule.ts';
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
    /** To the scope rooms of those whose area holds each check-in (scope/rule.ts): by its location's township or its team. */
    const toMaps = (checkIns: CheckIn[], at: number) => {
      const [places, teams] = [app.geography.places.cached(), app.teams.cachedAssigned()];
      for (const { rooms, items } of groupByRooms(checkIns, (c) => roomsOfPlaced(placedCheckIn(c, places, teams), teams))) {
        // Check-ins name no one: wall displays (the rooms' read-only twins) hear them as they are.
        app.io.to([...rooms, ...rooms.map(readOnlyRoom)]).emit('team:checkins', { checkIns: items, at });
      }
    };
    const announce = (checkIns: CheckIn[]) => {
      const at = app.clock.now();
      const places = app.geography.places.cached();
      const teams = app.teams.cachedAssigned();
      if (places && checkIns.every((c) => teams.has(c.teamId) && places.locations.has(c.locationId))) toMaps(checkIns, at);
      else {
        // A team or location this process has not loaded yet (its organisation and township decide who hears it): load, then tell.
        void Promise.all([app.teams.assigned(true), app.geography.places.recent()])
          .catch((err: Error) => app.log.warn({ err: err.message }, 'check-ins: teams or places not reloaded, announcing with what is loaded'))
          .then(() => toMaps(checkIns, at))
          .catch((err: Error) => app.log.warn({ err: err.message }, 'check-ins: not announced to the maps'));
      }
      for (const teamId of new Set(checkIns.map((c) => c.teamId))) {
        const own = { checkIns: checkIns.filter((c) => c.teamId === teamId), at };
        app.io.to(teamRoom(teamId)).emit('team:checkins', own);
        app.io.of(PATROL_NAMESPACE).to(teamRoom(teamId)).emit('team:checkins', own);
      }
      // Every check-in is a visit for the coverage engine (which also re-reads the streams every minute).
      void app.coverage?.recordVisits(checkIns);
      // A check-in at an ordered place completes the go-to order (the periodic check also sees the team's position there).
      app.orders?.arriveByCheckIns(checkIns).catch((err: Error) => app.log.warn({ err: err.message }, 'orders: arrival by check-in not recorded'));
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
  { name: 'checkins', dependencies: ['redis', 'socket', 'access', 'geography', 'teams', 'scope', 'devices'] },
);
