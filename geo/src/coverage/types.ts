/**
 * Types of the coverage engine's pure logic: key periods (重点时段), coverage rules, plan
 * templates, and what a location must get at a moment (its requirement). Times are epoch
 * milliseconds; calendar dates and clock times are local to a configured time zone.
 */
import type { LocationCategory } from '../types.ts';

/**
 * Kind of key period: `holiday` (official public holidays, from the built-in calendar),
 * `event` (a major event or meeting), `sensitive` (a sensitive period), `daily` (key hours every day).
 */
export const PERIOD_KINDS = ['holiday', 'event', 'sensitive', 'daily'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Priority of a key location, 1 = highest. */
export type Priority = 1 | 2 | 3;

/** Local clock times 'HH:mm'. An `end` at or before `start` crosses midnight (20:00–02:00). */
export interface DailyHours {
  start: string;
  end: string;
}

/** Which locations a period covers; every given list must match (an empty or missing list matches all). */
export interface PeriodScope {
  townshipIds?: string[];
  gridIds?: string[];
  categories?: LocationCategory[];
  /** Named locations only (a major event's perimeter drawn as a polygon: the locations inside it). */
  locationIds?: string[];
}

/**
 * A key period 重点时段: when coverage rules of its kind apply.
 *
 * - `start`/`end`: local 'YYYY-MM-DD' (whole days, `end` inclusive) or 'YYYY-MM-DDTHH:mm'
 *   (`end` exclusive). Required for `event` and `sensitive`; optional bounds for `holiday` and `daily`.
 * - `hours`: only these hours of each day (required for `daily`). A window belongs to the day it
 *   starts on: with `end` 2026-10-07, the window 10-07 20:00 → 10-08 02:00 is in, and the window
 *   that ends at `start`'s 02:00 (it started the evening before) is out.
 * - `holidays` (kind `holiday`): the public holidays it covers by Chinese or English name
 *   ('春节', 'National Day'); empty or missing = every public holiday.
 */
export interface KeyPeriod {
  id: string;
  name: string;
  kind: PeriodKind;
  start?: string;
  end?: string;
  hours?: DailyHours;
  holidays?: string[];
  scope?: PeriodScope;
  /** A disabled period is kept but never active. */
  enabled?: boolean;
}

/**
 * A coverage rule: for locations of the given categories and (effective) priorities, while a
 * period of `periodKind` (or the one period `periodId`) is active, the longest allowed time
 * between visits, and optionally how many different agencies must have visited within it.
 */
export interface CoverageRule {
  id: string;
  name?: string;
  /** Applies in every period of this kind (unless `periodId` is set). */
  periodKind?: PeriodKind;
  /** Applies in this one period only (rules created by applying a plan template). */
  periodId?: string;
  /** Empty or missing: every category. */
  categories?: LocationCategory[];
  /** Effective priorities (after a key grid raised it); empty or missing: every priority. */
  priorities?: Priority[];
  /** Longest allowed gap between visits, minutes. */
  maxGapMinutes: number;
  /** Distinct agencies that must have visited within the gap (default 1). */
  minAgencies?: number;
}

/** A rule as a template holds it: bound to the period the template creates when applied. */
export type TemplateRule = Omit<CoverageRule, 'id' | 'periodKind' | 'periodId'>;

/** A plan template 预案模板 (holiday, major event …): a set of rules applied to a date range in one step. */
export interface PlanTemplate {
  id: string;
  name: string;
  kind: PeriodKind;
  hours?: DailyHours;
  holidays?: string[];
  rules: TemplateRule[];
}

/** One stretch of time during which a period is active, [start, end). */
export interface ActiveInterval {
  periodId: string;
  start: number;
  end: number;
}

/** Something the resolution could not do, e.g. a year the holiday calendar has no data for. */
export interface PlanWarning {
  code: 'calendar_year_missing';
  year: number;
  message: string;
}

/** What a location needs right now, and since when. */
export interface Requirement {
  /** Longest allowed gap, ms. */
  gapMs: number;
  /** Distinct agencies within the gap. */
  minAgencies: number;
  /** When this requirement took effect: the deadline is never earlier than since + gap. */
  since: number;
  /**
   * True when it already held at the start of the look-back window: `since` is then only that
   * window's start, and a store that knows an earlier start of the same requirement keeps it.
   */
  sinceOpen: boolean;
  /** "Due soon" this long before the deadline, ms. */
  leadMs: number;
  /** The winning rule. */
  ruleId: string;
  /** Periods active for the location (the winning rule's among them). */
  periodIds: string[];
}

/** A location as the engine sees it. */
export interface CoverageLocation {
  id: string;
  category: LocationCategory;
  priority: Priority;
  gridId?: string;
  townshipId?: string;
}

/** Coverage state of a location: 已覆盖, 即将超时, 未覆盖, or no key period applies. */
export type CoverageState = 'covered' | 'due_soon' | 'uncovered' | 'inactive';

/** The latest visit of each agency, epoch ms (agency → time). */
export type LastVisits = Readonly<Record<string, number>>;

/** A visit (a check-in of any kind). */
export interface Visit {
  time: number;
  agency: string;
  teamId?: string;
}
