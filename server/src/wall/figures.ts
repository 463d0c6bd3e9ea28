/** Computes the wall's figures for a viewer's area (scope/rule.ts) from the live state. */
import type { FastifyInstance } from 'fastify';
import { AGENCIES } from '@lianfang/geo';
import type { SessionUser } from '../access/roles.ts';
import type { TownshipCoverageFigures, WallFigures } from './schemas.ts';

const MAX_ALERTS = 20;

const shareOf = (active: number, uncovered: number) => (active === 0 ? null : (active - uncovered) / active);

export async function wallFigures(app: FastifyInstance, viewer: SessionUser & { townshipIds?: readonly string[] }): Promise<WallFigures> {
  const now = app.clock.now();
  const [area, teams, snapshot, places, openIds, alerts] = await Promise.all([
    app.scope.areaOf(viewer),
    app.tracking.teamViews(),
    app.coverage.engine.snapshot(),
    app.geography.places.current(),
    app.incidents.store.openIds(),
    app.alerts.list({ state: 'open' }),
  ]);

  const byAgency = new Map(AGENCIES.map((agency) => [agency, { agency, onPatrol: 0, responding: 0, total: 0 }]));
  for (const t of teams) {
    if (!area({ townshipId: t.townshipId, teamId: t.id })) continue;
    const row = byAgency.get(t.agency)!;
    row.total += 1;
    if (t.status === 'on_patrol') row.onPatrol += 1;
    if (t.status === 'responding') row.responding += 1;
  }

  const townships: TownshipCoverageFigures[] = [];
  for (const [id, c] of Object.entries(snapshot.townships)) {
    if (!area({ townshipId: id })) continue;
    const active = c.covered + c.due_soon + c.uncovered;
    townships.push({ id, name: places.townships.get(id)?.name ?? id, active, uncovered: c.uncovered, dueSoon: c.due_soon, share: shareOf(active, c.uncovered) });
  }
  townships.sort((a, b) => b.uncovered - a.uncovered || (a.share ?? 1) - (b.share ?? 1) || a.name.localeCompare(b.name, 'zh-CN'));
  const active = townships.reduce((n, t) => n + t.active, 0);
  const uncovered = townships.reduce((n, t) => n + t.uncovered, 0);
  const dueSoon = townships.reduce((n, t) => n + t.dueSoon, 0);

  let open = 0;
  let late = 0;
  const incidentArea = await app.incidents.areaOf(viewer);
  for (const s of await app.incidents.store.getMany(openIds)) {
    if (!incidentArea(s)) continue;
    open += 1;
    const due = app.incidents.toView(s).due;
    if (due && due.at < now) late += 1;
  }

  const teamTownship = new Map(teams.map((t) => [t.id, t.townshipId]));
  const loud = alerts
    .filter((a) => a.kind === 'sos' || a.level === 2)
    .filter((a) => area({ townshipId: a.townshipId ?? (a.teamId ? teamTownship.get(a.teamId) : null) ?? null, teamId: a.teamId }))
    .sort((a, b) => Number(b.kind === 'sos') - Number(a.kind === 'sos') || b.raisedAt - a.raisedAt);

  return {
    at: now,
    scope: viewer.townshipIds ? [...viewer.townshipIds] : viewer.role === 'coordinator' ? townships.map((t) => t.id) : 'county',
    teams: [...byAgency.values()],
    coverage: { active, uncovered, dueSoon, share: shareOf(active, uncovered), townships },
    incidents: { open, late },
    alerts: loud.slice(0, MAX_ALERTS).map((a) => ({ id: a.id, kind: a.kind, level: a.level, title: a.title, townshipId: a.townshipId, raisedAt: a.raisedAt })),
    alertCount: loud.length,
  };
}
