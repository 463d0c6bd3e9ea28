/**
 * Where periods overlap, the strictest rule wins.
 */
import type { LocationCategory } from '../types.ts';
import type { CoverageRule, KeyPeriod, Priority } from './types.ts';

/** Whether `rule` applies during `period` (its kind, or that very period). */
export function ruleAppliesIn(rule: CoverageRule, period: Pick<KeyPeriod, 'id' | 'kind'>): boolean {
  return rule.periodId ? rule.periodId === period.id : rule.periodKind === period.kind;
}

/** Whether `rule` takes in a location of `category` and effective `priority` (a missing or empty list takes in all). */
export function ruleTakesIn(rule: CoverageRule, category: LocationCategory, priority: Priority): boolean {
  return !(rule.categories?.length && !rule.categories.includes(category)) && !(rule.priorities?.length && !rule.priorities.includes(priority));
}

/**
 * The rule a location of `category` and effective `priority` must follow while `active` periods
 * (already filtered to those whose scope takes in the location) are on, or null when none
 * applies. Strictest: the shortest gap; on a tie the most agencies; then the smallest id, so
 * every server process picks the same.
 *
 * @example
 * strictestRule(rules, [springFestival, nightHours], 'station', 1); // the 30-minute station rule
 */
export function strictestRule(rules: readonly CoverageRule[], active: readonly Pick<KeyPeriod, 'id' | 'kind'>[], category: LocationCategory, priority: Priority): CoverageRule | null {
  let best: CoverageRule | null = null;
  for (const rule of rules) {
    if (!ruleTakesIn(rule, category, priority)) continue;
    if (!active.some((p) => ruleAppliesIn(rule, p))) continue;
    if (!best || stricter(rule, best)) best = rule;
  }
  return best;
}

function stricter(a: CoverageRule, b: CoverageRule): boolean {
  if (a.maxGapMinutes !== b.maxGapMinutes) return a.maxGapMinutes < b.maxGapMinutes;
  const ka = a.minAgencies ?? 1;
  const kb = b.minAgencies ?? 1;
  if (ka !== kb) return ka > kb;
  return a.id < b.id;
}
