/**
 * The assessment report (考核报表): the day and month hashes the facts were counted into
 * (tally.ts) summed over a period, and grouped by member, team, agency, organisation or
 * township. Reading a year is 12 month hashes plus the days at its edges, never a scan of the
 * history. Pure but for `readFigures`.
 */
import { addDays, DISPUTE_LEVELS, parseDate, type KeyLocation, type Team } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { FIGURES, isWallOnlyFigure, settledFigure } from './tally.ts';
import { REPORT_GROUP_BYS, type AssessmentFigures, type AssessmentRow } from './schemas.ts';

export type { AssessmentFigures, AssessmentRow };

export type GroupBy = (typeof REPORT_GROUP_BYS)[number];

/** Drill-down: a row of one grouping opens the next, filtered to the row. */
export const DRILL: Record<GroupBy, { to: GroupBy; param: 'township' | 'organisation' | 'agency' | 'team' } | null> = {
  township: { to: 'organisation', param: 'township' },
  organisation: { to: 'team', param: 'organisation' },
  agency: { to: 'team', param: 'agency' },
  team: { to: 'member', param: 'team' },
  member: null,
};

/** The longest period a report covers, days. */
export const MAX_DAYS = 366;

/** Summed raw figures per subject: counts (and max) as numbers, duration lists as arrays. */
export type SubjectFigures = Map<string, Map<string, number | number[]>>;

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => {
  const [y, m, d] = parseDate(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
};
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Days from `from` to `to` inclusive, or a reason they are not a period. */
export function periodDays(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** The previous period of the same length, ending the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = periodDays(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1) };
}

/** The hashes that cover `from`..`to` (inclusive): whole months as month hashes, the rest as days. */
export function periodHashes(from: string, to: string): { months: string[]; days: string[] } {
  const months: string[] = [];
  const days: string[] = [];
  const last = dayNumber(to);
  for (let n = dayNumber(from); n <= last; ) {
    const date = dateOf(n);
    const [y, m] = parseDate(date);
    const monthEnd = Date.UTC(y, m, 1) / DAY_MS - 1;
    if (date.endsWith('-01') && monthEnd <= last) {
      months.push(date.slice(0, 7));
      n = monthEnd + 1;
    } else {
      days.push(date);
      n++;
    }
  }
  return { months, days };
}

const isList = (figure: string) => figure === FIGURES.acceptTimes || figure === FIGURES.arriveTimes;
const isMax = (figure: string) => figure === FIGURES.lapseMax;

/** Adds one raw figure to the sums. */
export function addFigure(sums: SubjectFigures, subject: string, figure: string, value: number | number[]): void {
  let s = sums.get(subject);
  if (!s) sums.set(subject, (s = new Map()));
  const cur = s.get(figure);
  if (Array.isArray(value)) s.set(figure, Array.isArray(cur) ? cur.concat(value) : value.slice());
  else if (isMax(figure)) s.set(figure, Math.max(typeof cur === 'number' ? cur : 0, value));
  else s.set(figure, (typeof cur === 'number' ? cur : 0) + value);
}

/** Sums day and month hashes as Redis returns them. */
export function sumHashes(hashes: readonly Record<string, string>[]): SubjectFigures {
  const sums: SubjectFigures = new Map();
  for (const h of hashes) {
    for (const field in h) {
      const bar = field.lastIndexOf('|');
      if (bar < 0) continue;
      const figure = field.slice(bar + 1);
      const raw = h[field]!;
      addFigure(sums, field.slice(0, bar), figure, isList(figure) ? raw.split(',').map(Number).filter(Number.isFinite) : Number(raw) || 0);
    }
  }
  return sums;
}

/** Reads the figures of a period (inclusive county days). */
export async function readFigures(redis: Redis, keys: Keys, from: string, to: string): Promise<SubjectFigures> {
  const { months, days } = periodHashes(from, to);
  const hashes = await Promise.all([...months.map((m) => redis.hGetAll(keys.reportMonth(m))), ...days.map((d) => redis.hGetAll(keys.reportDay(d)))]);
  return sumHashes(hashes);
}

/** Nearest-rank percentiles of seconds, in minutes (one decimal); null for none. */
export function percentilesMin(seconds: readonly number[], ps: readonly number[]): (number | null)[] {
  if (seconds.length === 0) return ps.map(() => null);
  const sorted = Float64Array.from(seconds).sort();
  return ps.map((p) => Math.round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! / 6) / 10);
}

/** Collects the raw figures of a group's subjects. */
class Acc {
  n = new Map<string, number>();
  lists = new Map<string, number[]>();
  lapse = 0;
  add(f: Map<string, number | number[]>, only?: (figure: string) => boolean) {
    for (const [figure, v] of f) {
      if (only && !only(figure)) continue;
      if (Array.isArray(v)) {
        let list = this.lists.get(figure);
        if (!list) this.lists.set(figure, (list = []));
        for (const x of v) list.push(x);
      }
      else if (isMax(figure)) this.lapse = Math.max(this.lapse, v);
      else this.n.set(figure, (this.n.get(figure) ?? 0) + v);
    }
  }
  get(figure: string) {
    return this.n.get(figure) ?? 0;
  }
  figures(): AssessmentFigures {
    const g = (f: string) => this.get(f);
    const onTime = g(FIGURES.onTime);
    const missed = g(FIGURES.missed);
    const [acceptMedianMin, acceptP90Min] = percentilesMin(this.lists.get(FIGURES.acceptTimes) ?? [], [0.5, 0.9]);
    const [arriveMedianMin, arriveP90Min] = percentilesMin(this.lists.get(FIGURES.arriveTimes) ?? [], [0.5, 0.9]);
    const late = g(FIGURES.ordersLate);
    return {
      dutyHours: Math.round(g(FIGURES.duty) / 36) / 100,
      distanceKm: Math.round(g(FIGURES.distance) / 10) / 100,
      visits: g(FIGURES.visits),
      requiredVisits: onTime + missed,
      onTimeShare: onTime + missed > 0 ? Math.round((onTime / (onTime + missed)) * 10_000) / 10_000 : null,
      missedDeadlines: missed,
      lateVisits: g(FIGURES.lateVisit),
      longestLapseMin: this.lapse > 0 ? Math.round(this.lapse / 6) / 10 : null,
      dispatched: g(FIGURES.dispatched),
      accepted: g(FIGURES.accepted),
      arrived: g(FIGURES.arrived),
      resolved: g(FIGURES.resolved),
      acceptMedianMin: acceptMedianMin ?? null,
      acceptP90Min: acceptP90Min ?? null,
      arriveMedianMin: arriveMedianMin ?? null,
      arriveP90Min: arriveP90Min ?? null,
      lateSteps: g(FIGURES.lateSteps),
      disputesSettled: Object.fromEntries(DISPUTE_LEVELS.map((l) => [l, g(settledFigure(l))])) as AssessmentFigures['disputesSettled'],
      disputesPassedUp: g(FIGURES.passedUp),
      sos: g(FIGURES.sos),
      orders: g(FIGURES.orders),
      ordersLate: late,
      ordersUnanswered: Math.max(0, late - g(FIGURES.ordersReadLate)),
      dispatchesLate: g(FIGURES.dispatchLate),
      dispatchesUnanswered: g(FIGURES.dispatchUnanswered),
    };
  }
}

export interface ReportFilter {
  township?: string | undefined;
  organisation?: string | undefined;
  agency?: string | undefined;
  team?: string | undefined;
}

export interface ReportContext {
  teams: readonly Team[];
  locations: ReadonlyMap<string, Pick<KeyLocation, 'gridId' | 'townshipId'>>;
  /** Names of townships and organisations (labels). */
  townshipName(id: string): string;
  organisationName(id: string): string;
}

/** A group's key and label for a team (member grouping gives one per member). */
function groupsOf(team: Team, groupBy: GroupBy, ctx: ReportContext): { key: string; label: string }[] {
  switch (groupBy) {
    case 'team':
      return [{ key: team.id, label: team.callSign }];
    case 'member':
      return team.members.map((m, i) => ({ key: `${team.id}#${i}`, label: `${m.name}（${team.callSign}）` }));
    case 'agency':
      return [{ key: team.agency, label: team.agency }];
    case 'organisation':
      return [{ key: team.organisationId, label: ctx.organisationName(team.organisationId) }];
    case 'township':
      return team.townshipId ? [{ key: team.townshipId, label: ctx.townshipName(team.townshipId) }] : [];
  }
}

/** One collator for every sort: `localeCompare` with a locale builds one per call. */
const BY_NAME = new Intl.Collator('zh-CN');

/** Coverage figures (subject `l:`) count for a team's grids; everything else is the team's own. */
const COVERAGE = new Set<string>([FIGURES.onTime, FIGURES.missed, FIGURES.lateVisit, FIGURES.lapseMax]);

/**
 * The rows of a report: figures summed per group, the teams outside `filter` left out. A team's
 * figures count for its group; a key location's coverage counts for every group whose teams
 * patrol its grid (township grouping: the location's township); what happened with no team
 * (subject `w:`) counts for its township when grouping by township.
 */
export function assessmentRows(sums: SubjectFigures, groupBy: GroupBy, filter: ReportFilter, ctx: ReportContext): { rows: AssessmentRow[]; total: AssessmentRow } {
  const teams = ctx.teams.filter(
    (t) => (!filter.township || t.townshipId === filter.township) && (!filter.organisation || t.organisationId === filter.organisation) && (!filter.agency || t.agency === filter.agency) && (!filter.team || t.id === filter.team),
  );
  const groups = new Map<string, { label: string; acc: Acc; teams: Set<string> }>();
  const group = (key: string, label: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label, acc: new Acc(), teams: new Set() }));
    return g;
  };
  const total = new Acc();
  const gridGroups = new Map<string, Set<string>>();
  const allGrids = new Set<string>();
  for (const team of teams) {
    const own = sums.get(`t:${team.id}`);
    for (const { key, label } of groupsOf(team, groupBy, ctx)) {
      const g = group(key, label);
      g.teams.add(team.id);
      if (own) g.acc.add(own, (f) => !COVERAGE.has(f));
      if (groupBy !== 'township') {
        for (const grid of team.gridIds) {
          let s = gridGroups.get(grid);
          if (!s) gridGroups.set(grid, (s = new Set()));
          s.add(key);
        }
      }
    }
    if (own) total.add(own, (f) => !COVERAGE.has(f));
    for (const grid of team.gridIds) allGrids.add(grid);
  }
  const unfiltered = !filter.organisation && !filter.agency && !filter.team;
  for (const [subject, f] of sums) {
    if (subject.startsWith('l:')) {
      const loc = ctx.locations.get(subject.slice(2));
      if (!loc) continue;
      if (groupBy === 'township') {
        if (!loc.townshipId || (filter.township && loc.townshipId !== filter.township)) continue;
        if (!unfiltered && !(loc.gridId && allGrids.has(loc.gridId))) continue;
        group(loc.townshipId, ctx.townshipName(loc.townshipId)).acc.add(f, (x) => COVERAGE.has(x));
        total.add(f, (x) => COVERAGE.has(x));
      } else {
        if (!loc.gridId || !allGrids.has(loc.gridId)) continue;
        for (const key of gridGroups.get(loc.gridId) ?? []) groups.get(key)!.acc.add(f, (x) => COVERAGE.has(x));
        total.add(f, (x) => COVERAGE.has(x));
      }
    } else if (subject.startsWith('w:') && groupBy === 'township' && unfiltered) {
      const tw = subject.slice(2);
      if (filter.township && tw !== filter.township) continue;
      // Incidents reported (the wall's figures) alone make no row of the report.
      if (![...f.keys()].some((x) => !isWallOnlyFigure(x))) continue;
      group(tw, ctx.townshipName(tw)).acc.add(f, (x) => !COVERAGE.has(x));
      total.add(f, (x) => !COVERAGE.has(x));
    }
  }
  const rows = [...groups].map(([key, g]): AssessmentRow => ({ key, label: g.label, teams: g.teams.size, ...g.acc.figures() }));
  rows.sort((a, b) => BY_NAME.compare(a.label, b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows, total: { key: 'total', label: '', teams: teams.length, ...total.figures() } };
}
