/**
 * The coverage report of a period: per location the visits, the longest gap and the share of
 * key-period time it was covered, from the check-in streams (the record rewards rest on).
 */
import { coverageReport, requirementTimeline, type CoverageRule, type KeyPeriod, type Team, type Visit } from '@lianfang/geo';
import type { Redis } from '../plugins/redis.ts';
import type { Keys } from '../keys.ts';
import type { Places } from '../geography/readModel.ts';
import type { CoverageReportRow } from './schemas.ts';
import { toCsv } from '../csv.ts';

/** Stream ids are server time; a check-in's own time may be up to a day older (late upload), so read a margin around the window. */
const MARGIN_MS = 2 * 86_400_000;

export async function buildReport(deps: {
  redis: Redis;
  keys: Keys;
  places: Places;
  teams: Map<string, Team>;
  periods: KeyPeriod[];
  rules: CoverageRule[];
  from: number;
  to: number;
  timeZone: string;
  townshipId?: string;
}): Promise<CoverageReportRow[]> {
  const { places, from, to } = deps;
  const timeline = requirementTimeline(deps.periods, deps.rules, places.keyGridIds, from, to, { timeZone: deps.timeZone });
  const locations = [...places.locations.values()].filter((l) => !deps.townshipId || l.townshipId === deps.townshipId);
  const active = locations.filter((l) => timeline.segments(l).some((s) => s.rule));
  // Visits before `from` matter for the state at `from`: read back one longest gap (capped by the margin).
  const longestGap = Math.max(0, ...deps.rules.map((r) => r.maxGapMinutes * 60_000));
  const readFrom = Math.max(0, from - Math.min(longestGap, 7 * 86_400_000) - MARGIN_MS);
  const streams = await Promise.all(active.map((l) => deps.redis.xRange(deps.keys.locationCheckins(l.id), String(readFrom), String(to + MARGIN_MS), { COUNT: 20_000 })));
  return active.map((l, i): CoverageReportRow => {
    const visits: Visit[] = (streams[i] ?? [])
      .map(({ message: m }) => ({ time: Number(m.t), agency: deps.teams.get(m.team ?? '')?.agency ?? 'unknown', teamId: m.team ?? '' }))
      .filter((v) => Number.isFinite(v.time) && v.time < to)
      .sort((a, b) => a.time - b.time);
    const r = coverageReport(visits, timeline.segments(l), from, to);
    return {
      locationId: l.id,
      name: l.name,
      category: l.category,
      priority: l.priority,
      townshipId: l.townshipId ?? null,
      gridId: l.gridId ?? null,
      visits: r.visits,
      agencies: r.agencies,
      activeMinutes: Math.round(r.activeMs / 60_000),
      coveredShare: r.coveredShare === null ? null : Math.round(r.coveredShare * 10_000) / 10_000,
      longestGapMinutes: Math.round(r.longestGapMs / 60_000),
    };
  });
}

const CSV_HEADER = ['编号 id', '名称 name', '类别 category', '优先级 priority', '乡镇 township', '网格 grid', '巡查次数 visits', '单位 agencies', '重点时段分钟 active minutes', '覆盖率 covered %', '最长间隔分钟 longest gap minutes'];

/** The report as CSV (see csv.ts: quoting, BOM, formula cells neutralised). */
export function reportCsv(rows: CoverageReportRow[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map((r) => [r.locationId, r.name, r.category, r.priority, r.townshipId, r.gridId, r.visits, r.agencies.join(' '), r.activeMinutes, r.coveredShare === null ? '' : (r.coveredShare * 100).toFixed(1), r.longestGapMinutes]),
  );
}
