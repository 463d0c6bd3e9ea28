/**
 * An SOS for a team, from the patrol page (device link or patrol account, over the socket) or
 * from a patrol account over HTTP: one open SOS per team, raised on every dashboard at once.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { SosBody, type AlertView, type SosRequest } from './schemas.ts';
import { waitForReplica } from '../redis/replicaWait.ts';

export { SosBody, type SosRequest };

/** Raises (or finds the open) SOS of `teamId`; `prefix` names fields in errors (`body.` or ``). */
export async function raiseSos(app: FastifyInstance, teamId: string, body: SosRequest, prefix: string): Promise<{ alert: AlertView; created: boolean }> {
  if ((body.lon === undefined) !== (body.lat === undefined)) {
    const missing = body.lon === undefined ? 'lon' : 'lat';
    throw new HttpError(400, `${prefix}${missing} is required with the other coordinate`, `${prefix}${missing}`);
  }
  const { alert, created } = await app.alerts.raise('sos', teamId, { teamId, lon: body.lon, lat: body.lat, note: body.note }, true);
  if (!alert) throw new Error('SOS not recorded');
  await waitForReplica(app.redis);
  return { alert, created };
}
