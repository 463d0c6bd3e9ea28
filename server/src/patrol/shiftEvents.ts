/**
 * `patrol:shifts`: the patrol page asks for its own team's shift in force and the next one, named
 * (grids and key locations), so the phone shows when and where it patrols. A socket reads only
 * its own team's shifts: a device its registered team (re-checked for revocation), a patrol
 * account its account's team.
 */
import type { FastifyInstance } from 'fastify';
import { failWith, patrolTeamOf, reply, type PatrolSocket } from './socketKit.ts';
import { PATROL_NAMESPACE, type PatrolShift } from '../events.ts';

export function registerShiftEvents(app: FastifyInstance): void {
  const fail = failWith(app, 'patrol:shifts failed');

  function onConnection(socket: PatrolSocket): void {
    socket.on('patrol:shifts', async (ack) => {
      try {
        const { teamId } = await patrolTeamOf(app, socket, 'only a patrol account or a registered device reads its shifts');
        const at = app.clock.now();
        // The team's shifts not ended by now, earliest first: the one in force (if any) and the next.
        const ahead = await app.assignments.list(at, teamId);
        const current = ahead.find((a) => a.from <= at) ?? null;
        const next = ahead.find((a) => a.from > at) ?? null;
        const { raw } = await app.geography.snapshot();
        const gridNames = new Map(raw.grids.map((g) => [g.id, g.name]));
        const locationNames = new Map(raw.locations.map((l) => [l.id, l.name]));
        const named = (a: (typeof ahead)[number] | null): PatrolShift | null =>
          a && {
            id: a.id,
            from: a.from,
            to: a.to,
            grids: a.gridIds.map((id) => ({ id, name: gridNames.get(id) ?? id })),
            locations: a.locationIds.map((id) => ({ id, name: locationNames.get(id) ?? id })),
            ...(a.note ? { note: a.note } : {}),
          };
        reply(ack, { data: { current: named(current), next: named(next), at } });
      } catch (err) {
        fail(ack, err);
      }
    });
  }

  app.io.of(PATROL_NAMESPACE).on('connection', onConnection);
  app.io.on('connection', (socket) => {
    // Signed-in patrol accounts on the main namespace: same event, their own team.
    if (socket.data.user?.role === 'patrol') onConnection(socket);
  });
}
