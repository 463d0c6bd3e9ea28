/**
 * The full recompute's pure core: for every key location, what it must get now and since
 * when, and the next instant anything changes (a period starts or ends, a daily window turns).
 */
import { requirementTimeline } from './requirementTimeline.ts';
import type { ResolveOptions } from './resolvePeriod.ts';
import type { ActiveInterval, CoverageLocation, CoverageRule, KeyPeriod, PlanWarning, Requirement } from './types.ts';

export interface PlanOptions extends ResolveOptions {
  /** "Due soon" this share of the gap before the deadline (default 0.2). */
  dueSoonFraction?: number;
  /**
   * How far back to look for when the current requirement began (default 10 days, longer than
   * any public holiday): an older requirement is marked `sinceOpen` and the store keeps the
   * start it knew.
   */
  lookbackMs?: number;
  /** How far ahead to look for the next change (default 10 days); recompute at the horizon anyway. */
  lookaheadMs?: number;
}

export interface CoveragePlan {
  now: number;
  /** Location id → its requirement now; locations without one are not in a key period ('inactive'). */
  requirements: Map<string, Requirement>;
  /** The next instant some location's requirement changes: recompute then. */
  nextChange: number;
  /** Active intervals of the periods rules use, within the look-back and look-ahead window. */
  intervals: ActiveInterval[];
  warnings: PlanWarning[];
}

const DAY = 86_400_000;

/**
 * Works out every location's requirement at `now`. A requirement's `since` is when it took
 * effect (the period started, or a stricter or looser rule took over): visits before it still
 * count, but the deadline is never earlier than since + gap, so teams always get one full gap.
 *
 * @example
 * const plan = planCoverage({ locations, keyGridIds: new Set(['G0001']), periods, rules, now }, { timeZone: 'Asia/Shanghai' });
 * plan.requirements.get('L00001'); // { gapMs: 1_800_000, minAgencies: 1, since: …, leadMs: 360_000, ruleId: 'station-30', periodIds: ['spring'] }
 */
export function planCoverage(
  input: { locations: readonly CoverageLocation[]; keyGridIds: ReadonlySet<string>; periods: readonly KeyPeriod[]; rules: readonly CoverageRule[]; now: number },
  options: PlanOptions,
): CoveragePlan {
  const { locations, keyGridIds, periods, rules, now } = input;
  if (!Number.isFinite(now)) throw new RangeError('planCoverage: now must be a finite epoch ms');
  const fraction = options.dueSoonFraction ?? 0.2;
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError('planCoverage: dueSoonFraction must be in [0, 1)');
  const from = now - (options.lookbackMs ?? 10 * DAY);
  const to = now + (options.lookaheadMs ?? 10 * DAY);
  const timeline = requirementTimeline(periods, rules, keyGridIds, from, to, options);

  const requirements = new Map<string, Requirement>();
  let nextChange = to;
  const seen = new Set<unknown>();
  for (const location of locations) {
    const segments = timeline.segments(location);
    // Segments tile [from, to); find the one holding `now` (few segments: a linear scan from the end is fine).
    let i = segments.length - 1;
    while (i > 0 && segments[i]!.start > now) i--;
    const seg = segments[i]!;
    if (!seen.has(segments)) {
      seen.add(segments);
      if (seg.end < nextChange) nextChange = seg.end;
    }
    if (!seg.rule) continue;
    const gapMs = Math.round(seg.rule.maxGapMinutes * 60_000);
    requirements.set(location.id, {
      gapMs,
      minAgencies: seg.rule.minAgencies ?? 1,
      since: seg.start,
      sinceOpen: seg.start <= from,
      leadMs: Math.round(gapMs * fraction),
      ruleId: seg.rule.id,
      periodIds: seg.periodIds,
    });
  }
  return { now, requirements, nextChange, intervals: timeline.intervals, warnings: timeline.warnings };
}
