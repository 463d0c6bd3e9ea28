/**
 * Coverage on the map: state per location (one compact document), counts per township and
 * grid, one location's details, the nearest available teams and sending one, and the coverage
 * report (JSON or CSV). Who may call: the map's viewers read; admins, dispatchers and
 * coordinators (their own organisation's teams) send a team.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { effectivePriority, periodBounds, type KeyPeriod } from '@lianfang/geo';
import { canManageOrganisation, TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { PATROL_NAMESPACE, teamRoom } from '../events.ts';
import { buildReport, reportCsv } from './report.ts';
import { CoverageIdParams } from './planSchemas.ts';
import {
  CoverageReportQuery,
  CoverageReportSchema,
  GridCountsSchema,
  LocationCoverageDetailSchema,
  NearestTeamsQuery,
  NearestTeamsSchema,
  SendTeamBody,
  SendTeamSchema,
  SnapshotSchema,
  TownshipCountsSchema,
  type CandidateTeam,
} from './schemas.ts';
import { parseLastVisits } from './store.ts';

const DAY = 86_400_000;
const MAX_REPORT_DAYS = 92;

const coverageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const engine = app.coverage.engine;

  /** GET /api/coverage: every key location's state and deadline, counts per township and grid. */
  app.get('/api/coverage', { config: { access: VIEWERS }, schema: { response: { 200: SnapshotSchema } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return engine.snapshot();
  });

  app.get('/api/coverage/townships', { config: { access: VIEWERS }, schema: { response: { 200: TownshipCountsSchema } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const s = await engine.snapshot();
    return { at: s.at, townships: s.townships, totals: s.totals };
  });

  app.get('/api/coverage/grids', { config: { access: VIEWERS }, schema: { response: { 200: GridCountsSchema } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const s = await engine.snapshot();
    return { at: s.at, grids: s.grids, totals: s.totals };
  });

  /** GET /api/coverage/locations/:id: what it needs now, its deadline, last visits, open alerts. */
  app.get('/api/coverage/locations/:id', { config: { access: VIEWERS }, schema: { params: CoverageIdParams, response: { 200: LocationCoverageDetailSchema } } }, async (request) => {
    const { id } = request.params;
    const now = app.clock.now();
    const { config, places } = await engine.plan(now);
    const location = places.locations.get(id);
    const detail = await engine.location(id, now);
    if (!location || !detail) throw new HttpError(404, `no key location with id ${id}`, 'params.id');
    const req = detail.requirement;
    const rule = req ? config.rules.find((r) => r.id === req.ruleId) : undefined;
    const periodById = new Map(config.periods.map((p) => [p.id, p]));
    const keyGrid = location.gridId !== undefined && places.keyGridIds.has(location.gridId);
    // Its township's coverage alert of the state it is in, if open.
    const openAlerts = (await app.alerts.list({ state: 'open' })).filter((a) => a.kind === detail.state && a.townshipId === (location.townshipId ?? null));
    return {
      id,
      name: location.name,
      category: location.category,
      priority: location.priority,
      effectivePriority: effectivePriority(location.priority, keyGrid),
      gridId: location.gridId ?? null,
      townshipId: location.townshipId ?? null,
      keyGrid,
      state: detail.state,
      deadline: detail.deadline,
      dueAt: detail.dueAt,
      requirement: req
        ? {
            gapMinutes: req.gapMs / 60_000,
            minAgencies: req.minAgencies,
            since: req.since,
            ruleId: req.ruleId,
            ruleName: rule?.name ?? null,
            periods: req.periodIds.map((pid) => periodById.get(pid)).filter((p): p is KeyPeriod => p !== undefined).map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
          }
        : null,
      lastVisits: parseLastVisits(detail.last),
      alerts: openAlerts,
    };
  });

  /**
   * GET /api/coverage/locations/:id/teams?limit=&radius=&all= : nearest teams by straight-line
   * distance (the team:geo GEO set), available ones (on patrol) only unless all=true.
   */
  app.get(
    '/api/coverage/locations/:id/teams',
    { config: { access: VIEWERS }, schema: { params: CoverageIdParams, querystring: NearestTeamsQuery, response: { 200: NearestTeamsSchema } } },
    async (request) => {
      const { id } = request.params;
      const q = request.query;
      const limit = q.limit ?? 5;
      const places = await app.geography.places.current();
      const location = places.locations.get(id);
      if (!location) throw new HttpError(404, `no key location with id ${id}`, 'params.id');
      const hits = (await app.redis.sendCommand([
        'GEOSEARCH', app.keys.teamGeo, 'FROMLONLAT', String(location.lon), String(location.lat),
        'BYRADIUS', String(q.radius ?? 20_000), 'm', 'ASC', 'COUNT', String(q.all ? limit : Math.max(limit * 5, 50)), 'WITHDIST', 'WITHCOORD',
      ])) as [string, string, [string, string]][];
      const ids = hits.map((h) => h[0]);
      const [teams, statuses, times] = await Promise.all([
        app.teams.assigned(),
        ids.length ? app.redis.hmGet(app.keys.teamStatus, ids) : Promise.resolve([]),
        Promise.all(ids.map((tid) => app.redis.hGet(app.keys.teamPosition(tid), 'time'))),
      ]);
      const candidates: CandidateTeam[] = [];
      hits.forEach(([tid, dist, [lon, lat]], i) => {
        const team = teams.get(tid);
        if (!team) return;
        const status = (statuses[i]?.split('\t')[0] ?? 'off_duty') as CandidateTeam['status'];
        const available = status === 'on_patrol';
        if (!available && !q.all) return;
        candidates.push({ id: tid, callSign: team.callSign, agency: team.agency, status, available, distance: Math.round(Number(dist)), lon: Number(lon), lat: Number(lat), time: times[i] ? Number(times[i]) : null });
      });
      return { locationId: id, lon: location.lon, lat: location.lat, teams: candidates.slice(0, limit) };
    },
  );

  /**
   * POST /api/coverage/locations/:id/send { teamId, note? }: point dispatch (点调) — asks the team,
   * on its patrol page, to go to the location, and notes it on its township's open coverage alerts.
   */
  app.post(
    '/api/coverage/locations/:id/send',
    { config: { access: TEAM_MANAGERS }, schema: { params: CoverageIdParams, body: SendTeamBody, response: { 200: SendTeamSchema } } },
    async (request) => {
      const { id } = request.params;
      const { teamId, note } = request.body;
      const places = await app.geography.places.current();
      const location = places.locations.get(id);
      if (!location) throw new HttpError(404, `no key location with id ${id}`, 'params.id');
      const team = (await app.teams.assigned(true)).get(teamId);
      if (!team) throw new HttpError(400, `body.teamId names an unknown team ${teamId}`, 'body.teamId');
      if (!canManageOrganisation(request.user!, team.organisationId)) throw new HttpError(403, `team ${teamId} belongs to another organisation`, 'body.teamId');
      const at = app.clock.now();
      await app.auditRequest(request, { action: 'dispatch', target: `location:${id}`, detail: { teamId, note: note ?? null } });
      await app.alerts.markSent(id, teamId, request.user!.username);
      const visitRequest = { locationId: id, name: location.name, lon: location.lon, lat: location.lat, by: request.user!.username, note: note ?? null, at };
      // The team's patrol pages: signed-in ones on '/', device ones on the patrol namespace.
      // The same path as any order: stored, receipts back to the maps, a go-to card on the phone.
      await app.orders.send({ id: `visit-${randomUUID()}`, to: { teamIds: [teamId] }, text: note?.trim() ? `${location.name}: ${note.trim()}`.slice(0, 500) : location.name, lon: location.lon, lat: location.lat }, request.user!);
      app.io.to(teamRoom(teamId)).emit('coverage:send', visitRequest);
      app.io.of(PATROL_NAMESPACE).to(teamRoom(teamId)).emit('coverage:send', visitRequest);
      const open = (await app.alerts.list({ state: 'open' })).filter((a) => (a.kind === 'uncovered' || a.kind === 'due_soon') && a.townshipId === (location.townshipId ?? null));
      return { locationId: id, teamId, sentAt: at, alerts: open };
    },
  );

  /**
   * GET /api/coverage/report?from=&to= | ?periodId=  [&townshipId=] [&format=csv]: per location
   * the visits, the longest gap and the covered share. With periodId, only that period counts
   * and the window is its span (up to now); from/to are epoch ms, at most 92 days apart.
   */
  const reportResponse = { content: { 'application/json': { schema: CoverageReportSchema }, 'text/csv': { schema: T.String() } } };
  app.get('/api/coverage/report', { config: { access: VIEWERS }, schema: { querystring: CoverageReportQuery, response: { 200: reportResponse } } }, async (request, reply) => {
    const q = request.query;
    const now = app.clock.now();
    const { config } = await engine.plan(now);
    let periods = config.periods;
    let rules = config.rules;
    let from = q.from;
    let to = q.to;
    if (q.periodId) {
      const period = config.periods.find((p) => p.id === q.periodId);
      if (!period) throw new HttpError(400, `query.periodId names an unknown period ${q.periodId}`, 'query.periodId');
      periods = [period];
      rules = config.rules.filter((r) => (r.periodId ? r.periodId === period.id : r.periodKind === period.kind));
      const bounds = periodBounds(period, app.config.timeZone);
      from ??= Number.isFinite(bounds.start.ms) ? bounds.start.ms : undefined;
      to ??= Math.min(now, bounds.end.ms);
    }
    if (from === undefined) throw new HttpError(400, 'query.from is required (or a periodId with a start)', 'query.from');
    to ??= now;
    if (!(from < to)) throw new HttpError(400, 'query.to must be after query.from', 'query.to');
    if (to - from > MAX_REPORT_DAYS * DAY) throw new HttpError(400, `query.to may be at most ${MAX_REPORT_DAYS} days after query.from`, 'query.to');
    const [places, teams] = await Promise.all([app.geography.places.current(), app.teams.assigned()]);
    const rows = await buildReport({ redis: app.redis, keys: app.keys, places, teams, periods, rules, from, to, timeZone: app.config.timeZone, ...(q.townshipId ? { townshipId: q.townshipId } : {}) });
    if (q.format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="coverage-${new Date(from).toISOString().slice(0, 10)}.csv"`);
      return reportCsv(rows);
    }
    return { from, to, periodId: q.periodId ?? null, rows };
  });

};

export default coverageRoutes;
