/**
 * Tracker devices of a team:
 *   POST   /api/teams/:id/devices             register one for a team member → its identifier and set-up links
 *   GET    /api/teams/:id/devices             list (never the identifiers)
 *   DELETE /api/teams/:id/devices/:deviceId   revoke: its next position is refused, its sockets are cut
 * Who may call: admin and dispatcher (any team), coordinator (own organisation's teams only).
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canManageOrganisation, TEAM_MANAGERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { toView } from './store.ts';
import { DeviceParams, DevicesSchema, NewDeviceBody, NewDeviceSchema, RevokedDeviceSchema, TeamParams, type DeviceLinks } from './schemas.ts';
import { deviceRoom, PATROL_NAMESPACE } from '../events.ts';

/** The links a new device is set up with. The host is the one the manager reached this server by. */
export function deviceLinks(request: FastifyRequest, osmandPort: number, identifier: string): DeviceLinks {
  const base = `${request.protocol}://${request.host}`;
  // The OsmAnd port is always plain HTTP (tracker apps), whether the app itself is served over TLS or not.
  const osmand = `http://${request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname}:${osmandPort}`;
  return {
    patrol: `${base}/patrol#device=${identifier}`,
    osmandServer: osmand,
    osmandTemplate: `${osmand}/?id=${identifier}&lat={0}&lon={1}&timestamp={2}&hdop={3}&altitude={4}&speed={5}&bearing={6}`,
    owntracks: `${base}/api/owntracks?id=${identifier}`,
  };
}

const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function managedTeam(request: FastifyRequest, teamId: string) {
    const team = await app.teams.get(teamId);
    if (!team) throw new HttpError(404, `no team with id ${teamId}`, 'params.id');
    if (!canManageOrganisation(request.user!, team.organisationId)) throw new HttpError(403, `team ${teamId} belongs to another organisation`, 'params.id');
    return team;
  }

  app.post(
    '/api/teams/:id/devices',
    { config: { access: TEAM_MANAGERS }, schema: { params: TeamParams, body: NewDeviceBody, response: { 201: NewDeviceSchema } } },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const team = await managedTeam(request, id);
      const member = team.members.find((m) => m.name === body.memberName);
      if (!member) throw new HttpError(400, `body.memberName ${body.memberName} is not a member of ${team.callSign}`, 'body.memberName');
      const { device, identifier } = await app.devices.store.create(
        { teamId: id, memberName: member.name, memberPhone: member.phone ?? null, label: body.label ?? null, createdBy: request.user!.username },
        app.clock.now(),
      );
      // The identifier is a credential: the audit names the device, never the identifier.
      await app.auditRequest(request, { action: 'device_issue', target: device.id, detail: { teamId: id, memberName: member.name, label: device.label } });
      return reply.status(201).send({ device: toView(device, null), identifier, links: deviceLinks(request, app.osmand.port ?? app.config.osmandPort, identifier) });
    },
  );

  app.get('/api/teams/:id/devices', { config: { access: TEAM_MANAGERS }, schema: { params: TeamParams, response: { 200: DevicesSchema } } }, async (request) => {
    const { id } = request.params;
    await managedTeam(request, id);
    return { devices: await app.devices.store.listForTeam(id) };
  });

  app.delete('/api/teams/:id/devices/:deviceId', { config: { access: TEAM_MANAGERS }, schema: { params: DeviceParams, response: { 200: RevokedDeviceSchema } } }, async (request) => {
    const { id, deviceId } = request.params;
    await managedTeam(request, id);
    const existing = await app.devices.store.get(deviceId);
    if (!existing || existing.teamId !== id) throw new HttpError(404, `team ${id} has no device ${deviceId}`, 'params.deviceId');
    const wasRevoked = existing.revokedAt !== null;
    const device = (await app.devices.store.revoke(deviceId, request.user!.username, app.clock.now()))!;
    if (!wasRevoked) {
      await app.auditRequest(request, { action: 'device_revoke', target: deviceId, detail: { teamId: id, memberName: device.memberName } });
      // Through the adapter: the device's patrol page is cut off on whichever process it is connected to.
      app.io.of(PATROL_NAMESPACE).in(deviceRoom(deviceId)).disconnectSockets(true);
    }
    return { device: await app.devices.store.view(device) };
  });
};
export default deviceRoutes;
