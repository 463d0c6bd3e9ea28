/**
 * What each location must get over a stretch of time, as segments of constant requirement.
 * Locations that no period tells apart (same category, same effective priority, inside the
 * same scoped periods) share one timeline, so 5,000 locations cost a few dozen timelines.
 */
import { effectivePriority } from './effectivePriority.ts';
import { periodCovers } from './periodCovers.ts';
import { resolvePeriod, type ResolveOptions } from './resolvePeriod.ts';
import { ruleTakesIn, strictestRule } from './strictestRule.ts';
import type { ActiveInterval, CoverageLocation, CoverageRule, KeyPeriod, PlanWarning } from './types.ts';

/** [start, end) during which a location's requirement is constant; `rule` null: no key period applies. */
export interface TimelineSegment {
  start: number;
  end: number;
  rule: CoverageRule | null;
  /** Periods on during the segment that take the location in (sorted ids). */
  periodIds: string[];
}

export interface RequirementTimeline {
  from: number;
  to: number;
  /** Every period's active intervals within [from, to). */
  intervals: ActiveInterval[];
  warnings: PlanWarning[];
  /** Segments covering [from, to) exactly; neighbours always differ in gap or agencies. */
  segments(location: CoverageLocation): TimelineSegment[];
}

/** Periods some rule can use: the others cannot change anybody's requirement. */
function usedPeriods(periods: readonly KeyPeriod[], rules: readonly CoverageRule[]): KeyPeriod[] {
  return periods.filter((p) => rules.some((r) => (r.periodId ? r.periodId === p.id : r.periodKind === p.kind)));
}

/** Indexes of the periods whose scope takes in only some locations. */
function scopedIndexes(used: readonly KeyPeriod[]): number[] {
  return used.map((p, i) => (p.scope && (p.scope.townshipIds?.length || p.scope.gridIds?.length || p.scope.categories?.length || p.scope.locationIds?.length) ? i : -1)).filter((i) => i >= 0);
}

/**
 * A location's coverage class under a plan: locations of one class have the same requirement
 * at every instant (the same rules take them in by category and effective priority, and the
 * same scoped periods), so an engine can keep one requirement per class instead of one per
 * location. The key depends on the plan and the location only, never on the time, and is the
 * same in every process. A plan with one rule for everything has one class.
 *
 * @example
 * const classOf = coverageClassKey(periods, [stationRule, everythingRule], new Set(['G0001']));
 * classOf({ id: 'L1', category: 'station', priority: 2, gridId: 'G0001' }); // 'r11'
 * classOf({ id: 'L2', category: 'hotel', priority: 2 });                    // 'r01'
 */
export function coverageClassKey(periods: readonly KeyPeriod[], rules: readonly CoverageRule[], keyGridIds: ReadonlySet<string>): (location: CoverageLocation) => string {
  const used = usedPeriods(periods, rules);
  const scoped = scopedIndexes(used);
  return (location) => {
    const priority = effectivePriority(location.priority, location.gridId !== undefined && keyGridIds.has(location.gridId));
    let key = 'r';
    for (const rule of rules) key += ruleTakesIn(rule, location.category, priority) ? '1' : '0';
    if (scoped.length > 0) {
      key += '.';
      for (const i of scoped) key += periodCovers(used[i]!, location) ? '1' : '0';
    }
    return key;
  };
}

const same = (a: CoverageRule | null, b: CoverageRule | null) =>
  a === b || (a !== null && b !== null && a.maxGapMinutes === b.maxGapMinutes && (a.minAgencies ?? 1) === (b.minAgencies ?? 1));

/**
 * Resolves `periods` over [from, to) once and answers, per location, the segments of
 * constant requirement (the strictest applicable rule) that tile [from, to).
 *
 * @example
 * const timeline = requirementTimeline(periods, rules, keyGridIds, from, to, { timeZone: 'Asia/Shanghai' });
 * timeline.segments(station); // [{ start: from, end: holidayStart, rule: null, … }, { start: holidayStart, …, rule: stationRule }, …]
 */
export function requirementTimeline(
  periods: readonly KeyPeriod[],
  rules: readonly CoverageRule[],
  keyGridIds: ReadonlySet<string>,
  from: number,
  to: number,
  options: ResolveOptions,
): RequirementTimeline {
  if (!(from < to)) throw new RangeError('requirementTimeline: from must be before to');
  const intervals: ActiveInterval[] = [];
  const warnings: PlanWarning[] = [];
  const seenWarnings = new Set<number>();
  const used = usedPeriods(periods, rules);
  const perPeriod = used.map((p) => {
    const r = resolvePeriod(p, from, to, options);
    intervals.push(...r.intervals);
    for (const w of r.warnings) {
      if (!seenWarnings.has(w.year)) warnings.push(w);
      seenWarnings.add(w.year);
    }
    return r.intervals;
  });

  // Elementary segments: between consecutive boundaries the set of active periods is fixed.
  const cuts = new Set<number>([from, to]);
  for (const list of perPeriod) for (const i of list) cuts.add(i.start).add(i.end);
  const bounds = [...cuts].sort((a, b) => a - b);
  const activeIn: number[][] = [];
  const cursor = perPeriod.map(() => 0);
  for (let s = 0; s + 1 < bounds.length; s++) {
    const t = bounds[s]!;
    const on: number[] = [];
    perPeriod.forEach((list, p) => {
      let c = cursor[p]!;
      while (c < list.length && list[c]!.end <= t) c++;
      cursor[p] = c;
      if (c < list.length && list[c]!.start <= t) on.push(p);
    });
    activeIn.push(on);
  }

  const scoped = scopedIndexes(used);
  const cache = new Map<number | string, TimelineSegment[]>();

  const categoryIndex = new Map<string, number>();
  function segments(location: CoverageLocation): TimelineSegment[] {
    const priority = effectivePriority(location.priority, location.gridId !== undefined && keyGridIds.has(location.gridId));
    // A number while no period is scoped (the common case, and the hot path of a recompute).
    let c = categoryIndex.get(location.category);
    if (c === undefined) categoryIndex.set(location.category, (c = categoryIndex.size));
    let key: number | string = c * 4 + priority;
    if (scoped.length > 0) {
      key = `${key}|`;
      for (const i of scoped) key += periodCovers(used[i]!, location) ? '1' : '0';
    }
    let out = cache.get(key);
    if (out) return out;
    const covers = used.map((p) => periodCovers(p, location));
    out = [];
    for (let s = 0; s < activeIn.length; s++) {
      const on = activeIn[s]!.filter((p) => covers[p]).map((p) => used[p]!);
      const rule = on.length ? strictestRule(rules, on, location.category, priority) : null;
      const prev = out[out.length - 1];
      if (prev && same(prev.rule, rule)) {
        prev.end = bounds[s + 1]!;
        for (const p of on) if (!prev.periodIds.includes(p.id)) prev.periodIds.push(p.id);
        continue;
      }
      out.push({ start: bounds[s]!, end: bounds[s + 1]!, rule, periodIds: on.map((p) => p.id) });
    }
    for (const seg of out) seg.periodIds.sort();
    cache.set(key, out);
    return out;
  }

  return { from, to, intervals, warnings, segments };
}
