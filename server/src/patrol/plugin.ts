/**
 * The patrol phone's socket, in one place: the link (device or patrol account, its team's
 * room), what it reports (positions, check-ins, duty, SOS), its incident events, its shifts, orders and
 * major-event posts. It depends on tracking, check-ins, alerts, incidents, teams and major events one way; none of them knows the socket.
 */
import fp from 'fastify-plugin';
import { PATROL_NAMESPACE } from '../events.ts';
import { authenticatePatrolLinks } from './link.ts';
import { registerReportEvents } from './reportEvents.ts';
import { registerIncidentEvents } from './incidentEvents.ts';
import { registerShiftEvents } from './shiftEvents.ts';
import { registerOrderEvents } from './orderEvents.ts';
import { registerEventEvents } from './eventEvents.ts';

export default fp(
  async (app) => {
    authenticatePatrolLinks(app);
    registerReportEvents(app);
    registerIncidentEvents(app);
    registerShiftEvents(app);
    registerOrderEvents(app);
    registerEventEvents(app);
    app.addHook('preClose', async () => {
      // The socket plugin disconnects the maps (namespace /); the patrol pages are ours.
      app.io.of(PATROL_NAMESPACE).local.disconnectSockets(true);
    });
  },
  { name: 'patrol', dependencies: ['socket', 'access', 'devices', 'teams', 'tracking-ingest', 'checkins', 'alerts', 'incidents', 'assignments', 'geography', 'orders', 'majorEvents'] },
);
