/**
 * The mediation records API: the rooms (viewers list them, admins add and edit) and the
 * statistics by room or township over county days (JSON, CSV, XLSX). A coordinator sees only
 * their organisation's township. Files are audited as `export`, room changes as `config_change`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { ADMINS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { queryPeriod } from '../reports/period.ts';
import { readFigures } from '../reports/report.ts';
import { roomFrom } from './store.ts';
import { mediationRows } from './stats.ts';
import { MEDIATION_MEDIA, mediationCsv, mediationXlsx } from './export.ts';
import { MediationStatsQuery, MediationStatsSchema, RoomBody, RoomParams, RoomResponseSchema, RoomsQuery, RoomsResponseSchema, RoomUpdateBody, type MediationStats } from './schemas.ts';

const NO_TOWNSHIP = { zh: '无所属乡镇', en: 'No township' };

const mediationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const exists = async () => {
    const places = await app.geography.places.current();
    const villages = new Map((await app.geography.snapshot()).raw.villages.map((v) => [v.id, v.townshipId]));
    return { township: (id: string) => places.townships.has(id), village: (id: string) => villages.get(id) };
  };

  app.get('/api/mediation/rooms', { config: { access: VIEWERS }, schema: { querystring: RoomsQuery, response: { 200: RoomsResponseSchema } } }, async (request) => {
    const q = request.query;
    const rooms = (await app.mediation.rooms.list()).filter((r) => (!q.level || r.level === q.level) && (!q.townshipId || r.townshipId === null || r.townshipId === q.townshipId));
    rooms.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { rooms };
  });

  app.post('/api/mediation/rooms', { config: { access: ADMINS }, schema: { body: RoomBody, response: { 200: RoomResponseSchema, 201: RoomResponseSchema } } }, async (request, reply) => {
    const room = roomFrom(request.body, await exists());
    const r = await app.mediation.rooms.add(room);
    if (r.created) await app.auditRequest(request, { action: 'config_change', target: `mediation_room:${room.id}`, detail: { op: 'create', kind: room.kind, name: room.name, townshipId: room.townshipId } });
    reply.status(r.created ? 201 : 200);
    return { room: r.room, changed: r.created };
  });

  app.put('/api/mediation/rooms/:id', { config: { access: ADMINS }, schema: { params: RoomParams, body: RoomUpdateBody, response: { 200: RoomResponseSchema } } }, async (request) => {
    const { id } = request.params;
    const before = await app.mediation.rooms.get(id);
    if (!before) throw new HttpError(404, `no mediation room with id ${id}`, 'params.id', { code: 'not_found' });
    const room = roomFrom({ ...request.body, id }, await exists());
    const changed = JSON.stringify(room) !== JSON.stringify(before);
    if (changed) {
      await app.mediation.rooms.put(room);
      await app.auditRequest(request, { action: 'config_change', target: `mediation_room:${id}`, detail: { op: 'update', kind: room.kind, name: room.name, townshipId: room.townshipId } });
    }
    return { room, changed };
  });

  const file = { schema: T.String() };
  app.get(
    '/api/mediation/stats',
    {
      config: { access: VIEWERS },
      schema: {
        querystring: MediationStatsQuery,
        response: { 200: { content: { 'application/json': { schema: MediationStatsSchema }, [MEDIATION_MEDIA.csv]: file, [MEDIATION_MEDIA.xlsx]: { schema: T.Any() } } } },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const user = request.user!;
      queryPeriod(q);
      const places = await app.geography.places.current();
      let townshipId = q.townshipId;
      if (user.role === 'coordinator') {
        const own = user.organisationId ? places.organisations.get(user.organisationId)?.townshipId : undefined;
        if (!own) throw new HttpError(403, 'your organisation belongs to no township', undefined, { code: 'forbidden' });
        if (townshipId && townshipId !== own) throw new HttpError(403, `township ${townshipId} is not yours`, 'querystring.townshipId', { code: 'forbidden' });
        townshipId = own;
      }
      const lang = q.lang ?? 'zh';
      const groupBy = q.groupBy ?? 'room';
      const [sums, rooms, countyJson] = await Promise.all([readFigures(app.redis, app.keys, q.from, q.to), app.mediation.rooms.list(), app.redis.get(app.keys.county)]);
      let county = '';
      try {
        const c = JSON.parse(countyJson ?? '{}') as { name?: string; properties?: { name?: string } };
        county = c.name ?? c.properties?.name ?? '';
      } catch {
        county = '';
      }
      const { rows, total } = mediationRows(sums, groupBy, { rooms: new Map(rooms.map((r) => [r.id, r])), townshipName: (id) => places.townships.get(id)?.name ?? id, noTownship: NO_TOWNSHIP[lang] }, townshipId);
      const body: MediationStats = { from: q.from, to: q.to, groupBy, county, rows, total, at: app.clock.now() };
      const format = q.format ?? 'json';
      if (format === 'json') return body;
      await app.auditRequest(request, { action: 'export', target: 'mediation', detail: { format, from: q.from, to: q.to, groupBy, townshipId, rows: rows.length } });
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="mediation-${q.from}-${q.to}-${groupBy}.${format}"`);
      if (format === 'csv') {
        reply.header('content-type', `${MEDIATION_MEDIA.csv}; charset=utf-8`);
        return mediationCsv(body, lang);
      }
      reply.header('content-type', MEDIATION_MEDIA.xlsx);
      return mediationXlsx(body, lang);
    },
  );
};

export default mediationRoutes;
