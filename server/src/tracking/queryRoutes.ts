/**
 * Reading tracking data back:
 *   GET /api/teams/:id/track?from=&to=&limit=&format=  a team's fixes taken in [from, to], as JSON or a GPX, KML or
 *                                                     GeoJSON file: the map's viewers (coordinators: teams of their
 *                                                     organisation or township, scope/rule.ts)
 *   GET /api/teams/near?lon=&lat=&radius=&limit=&status=  teams whose latest fix is near a point: the map's viewers;
 *                                                     `assigned` says which patrol the point's grid or key location now (shift or standing grids)
 *   GET /api/tracking/stats                           ingest counters: admin, dispatcher
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { TeamDetailSchema, TeamIdParams, type TeamStatus } from '../teams/schemas.ts';
import { IngestStatsSchema, NearbyQuery, NearbyTeamsSchema, TrackQuery, TrackSchema, type NearbyTeam } from './schemas.ts';
import { readTrack } from './track.ts';
import { exportTrack, TRACK_MEDIA, trackFileName } from './trackExport.ts';
import { Type as T } from '@sinclair/typebox';
import { distanceMetres } from '@lianfang/geo';

const MAX_TRACK_SPAN_MS = 7 * 86_400_000;
const file = { schema: T.String() };
const trackResponse = { content: { 'application/json': { schema: TrackSchema }, [TRACK_MEDIA.gpx]: file, [TRACK_MEDIA.kml]: file, [TRACK_MEDIA.geojson]: file } };

const queryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/teams/:id/track',
    { config: { access: VIEWERS }, schema: { params: TeamIdParams, querystring: TrackQuery, response: { 200: trackResponse } } },
    async (request, reply) => {
      const { id } = request.params;
      const q = request.query;
      if (q.from > q.to) throw new HttpError(400, 'querystring.from must not be after to', 'querystring.from');
      if (q.to - q.from > MAX_TRACK_SPAN_MS) throw new HttpError(400, 'querystring.from must be within 7 days of to', 'querystring.from');
      const team = await app.teams.get(id);
      if (!team) throw new HttpError(404, `no team with id ${id}`, 'params.id');
      // Latest positions are the shared map; the history is scoped.
      if (!(await app.scope.seesTeam(request.user!, team))) throw new HttpError(403, `team ${id} is outside your area`, 'params.id');
      const track = await readTrack(app.redis, app.keys, {
        teamId: id,
        from: q.from,
        to: q.to,
        limit: q.limit,
        futureToleranceMs: app.config.futureToleranceS * 1000,
        onBadBlock: (hour, err) => request.log.error({ err, teamId: id, hour }, 'a track history block does not decode: skipped'),
      });
      if (q.format && q.format !== 'json') {
        const meta = { teamId: id, callSign: team.callSign, from: q.from, to: q.to, truncated: track.truncated };
        reply.header('content-type', `${TRACK_MEDIA[q.format]}; charset=utf-8`);
        reply.header('content-disposition', `attachment; filename="${trackFileName(meta, q.format)}"`);
        return exportTrack(q.format, meta, track.positions);
      }
      return { teamId: id, from: q.from, to: q.to, ...track };
    },
  );

  /**
   * Which teams patrol a point now: its grid is among the team's assigned grids (the active
   * shift's, with the grids of its key locations, else the standing ones), or the shift names a
   * key location whose radius holds the point.
   */
  async function assignedAt(lon: number, lat: number): Promise<(teamId: string) => boolean> {
    const [places, teams, shifts] = await Promise.all([app.geography.places.current(), app.teams.assigned(), app.assignments.activeByTeam()]);
    const gridId = places.gridIndex.gridAt(lon, lat)?.id;
    return (teamId) => {
      if (gridId && teams.get(teamId)?.gridIds.includes(gridId)) return true;
      return (shifts.get(teamId)?.locationIds ?? []).some((id) => {
        const l = places.locations.get(id);
        return l !== undefined && distanceMetres(lon, lat, l.lon, l.lat) <= l.radius;
      });
    };
  }

  app.get('/api/teams/near', { config: { access: VIEWERS }, schema: { querystring: NearbyQuery, response: { 200: NearbyTeamsSchema } } }, async (request) => {
    const q = request.query;
    const keep = q.status ? new Set(q.status.split(',')) : undefined;
    // Ask Redis for more when filtering by status, so `limit` teams can remain.
    const hits = await app.redis.geoSearchWith(app.keys.teamGeo, { longitude: q.lon, latitude: q.lat }, { radius: q.radius, unit: 'm' }, ['WITHDIST'], { SORT: 'ASC', COUNT: keep ? q.limit * 10 : q.limit });
    if (hits.length === 0) return { teams: [] };
    const ids = hits.map((h) => h.member);
    const [latest, statuses, teams, assignedHere] = await Promise.all([
      app.tracking.store.latestPositions(ids),
      app.teams.statuses(),
      app.redis.hmGet(app.keys.teams, ids),
      assignedAt(q.lon, q.lat),
    ]);
    const out: NearbyTeam[] = [];
    for (let i = 0; i < hits.length && out.length < q.limit; i++) {
      const p = latest[i];
      const teamJson = teams[i];
      if (!p || !teamJson) continue;
      const status: TeamStatus = statuses.get(ids[i]!)?.status ?? 'off_duty';
      if (keep && !keep.has(status)) continue;
      out.push({
        id: ids[i]!,
        callSign: (JSON.parse(teamJson) as { callSign: string }).callSign,
        status,
        distance: Math.round(Number(hits[i]!.distance) * 10) / 10,
        lon: p.lon,
        lat: p.lat,
        time: p.time,
        assigned: assignedHere(ids[i]!),
      });
    }
    return { teams: out };
  });

  app.get('/api/tracking/stats', { config: { access: ['admin', 'dispatcher'] }, schema: { response: { 200: IngestStatsSchema } } }, async () => {
    await app.positions.flushStats();
    const all = await app.redis.hGetAll(app.keys.ingestStats);
    return { counters: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Number(v)])) };
  });
};
export default queryRoutes;
