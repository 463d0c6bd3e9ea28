/**
 * Where a report happened, the same over HTTP and on the patrol socket: lon and lat come
 * together or not at all, and a patrol that gives neither reports at its team's latest fix.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../plugins/errors.ts';

/** Throws 400 when only one of lon and lat is given; `prefix` names fields in errors (`body.` or ``). */
export function checkPaired(point: { lon?: number; lat?: number }, prefix: string): void {
  if ((point.lon === undefined) !== (point.lat === undefined)) {
    const missing = point.lon === undefined ? 'lon' : 'lat';
    throw new HttpError(400, `${prefix}${missing} is required with the other coordinate`, `${prefix}${missing}`);
  }
}

/** The point given, else the latest fix of `teamId` (a patrol's team; undefined for others: then the point is required). */
export async function reportPoint(app: FastifyInstance, teamId: string | undefined, point: { lon?: number; lat?: number }, prefix: string): Promise<{ lon: number; lat: number }> {
  checkPaired(point, prefix);
  if (point.lon !== undefined && point.lat !== undefined) return { lon: point.lon, lat: point.lat };
  if (!teamId) throw new HttpError(400, `${prefix}lon is required: where it happened`, `${prefix}lon`);
  const [latest] = await app.tracking.store.latestPositions([teamId]);
  if (!latest) throw new HttpError(400, `${prefix}lon is required: your team has not reported a position yet`, `${prefix}lon`, { code: 'no_position_yet' });
  return { lon: latest.lon, lat: latest.lat };
}
