/** Computes the wall's figures for a viewer's area (scope/rule.ts) from the live state. */
import type { FastifyInstance } from 'fastify';
import { AGENCIES, DISPUTE_LEVELS, localDate } from '@lianfang/geo';
import type { SessionUser } from '../access/roles.ts';
import type { Placed } from '../scope/rule.ts';
import { percentilesMin, sumHashes, type SubjectFigures } from '../reports/report.ts';
import { FIGURES, reachedFigure, settledFigure } from '../reports/tally.ts';
import type { DisputeLevelFigures, TodayFigures, TownshipCoverageFigures, WallFigures } from './schemas.ts';

const MAX_ALERTS = 20;

/** The median of seconds in minutes, rounded as the report rounds (the mean of the middle two of an even count). */
function medianMin(seconds: readonly number[]): number | null {
  if (seconds.length === 0) return null;
  const s = Float64Array.from(seconds).sort();
  const m = s.length >> 1;
  return percentilesMin([s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2], [0.5])[0] ?? null;
}

const shareOf = (active: number, uncovered: number) => (active === 0 ? null : (active - uncovered) / active);

/**
 * Today's incidents and response times, and this month's disputes by mediation level, from the
 * assessment report's day and month hashes (counted as the facts happened, reports/tally.ts):
 * two hash reads, never a scan of the incidents. A team's figures (`t:`) count where the team
 * belongs, the rest (`w:`, `c:`) where it happened.
 */
async function tallied(app: FastifyInstance, now: number, area: (thing: Placed) => boolean, teamTownship: ReadonlyMap<string, string | null>): Promise<{ today: TodayFigures; disputes: DisputeLevelFigures[] }> {
  const day = localDate(now, app.config.timeZone);
  const [dayHash, monthHash] = await Promise.all([app.redis.hGetAll(app.keys.reportDay(day)), app.redis.hGetAll(app.keys.reportMonth(day.slice(0, 7)))]);
  const inScope = (subject: string): boolean => {
    if (subject.startsWith('t:')) {
      const teamId = subject.slice(2);
      return area({ townshipId: teamTownship.get(teamId) ?? null, teamId });
    }
    if (subject.startsWith('w:')) return area({ townshipId: subject.slice(2) });
    if (subject === 'c:') return area({ townshipId: null });
    return false; // key locations' coverage (`l:`): the coverage figures come from the live snapshot
  };
  const sum = (sums: SubjectFigures, figure: string): number => {
    let n = 0;
    for (const [subject, f] of sums) if (inScope(subject)) n += Number(f.get(figure) ?? 0) || 0;
    return n;
  };
  const list = (sums: SubjectFigures, figure: string): number[] => {
    const out: number[] = [];
    for (const [subject, f] of sums) {
      const v = f.get(figure);
      if (Array.isArray(v) && inScope(subject)) for (const x of v) out.push(x);
    }
    return out;
  };
  const today = sumHashes([dayHash]);
  const month = sumHashes([monthHash]);
  return {
    today: { day, incidents: sum(today, FIGURES.reported), acceptMedianMin: medianMin(list(today, FIGURES.acceptTimes)), arriveMedianMin: medianMin(list(today, FIGURES.arriveTimes)) },
    disputes: DISPUTE_LEVELS.map((level) => ({ level, reached: sum(month, reachedFigure(level)), settled: sum(month, settledFigure(level)) })),
  };
}

export async function wallFigures(app: FastifyInstance, viewer: SessionUser & { townshipIds?: readonly string[]; eventId?: string }): Promise<WallFigures> {
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

  const teamTownship = new Map(teams.map((t) => [t.id, t.townshipId ?? null]));
  const { today, disputes } = await tallied(app, now, area, teamTownship);
  const loud = alerts
    .filter((a) => a.kind === 'sos' || a.level === 2)
    .filter((a) => area({ townshipId: a.townshipId ?? (a.teamId ? teamTownship.get(a.teamId) : null) ?? null, teamId: a.teamId }))
    .sort((a, b) => Number(b.kind === 'sos') - Number(a.kind === 'sos') || b.raisedAt - a.raisedAt);

  return {
    at: now,
    eventId: viewer.eventId ?? null,
    scope: viewer.townshipIds ? [...viewer.townshipIds] : viewer.role === 'coordinator' ? townships.map((t) => t.id) : 'county',
    teams: [...byAgency.values()],
    coverage: { active, uncovered, dueSoon, share: shareOf(active, uncovered), townships },
    incidents: { open, late },
    today,
    disputes,
    alerts: loud.slice(0, MAX_ALERTS).map((a) => ({ id: a.id, kind: a.kind, level: a.level, title: a.title, townshipId: a.townshipId, raisedAt: a.raisedAt })),
    alertCount: loud.length,
  };
}
