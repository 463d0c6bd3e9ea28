/**
 * The record of one location over a period: its visits, the longest stretch without one, and
 * the share of the key-period time it was covered.
 */
import { nextDeadline } from './nextDeadline.ts';
import type { TimelineSegment } from './requirementTimeline.ts';
import type { Visit } from './types.ts';

export interface LocationReport {
  /** Visits within [from, to). */
  visits: number;
  /** Distinct agencies among them. */
  agencies: string[];
  /** Time within [from, to) a key period applied to the location, ms. */
  activeMs: number;
  /** Of which covered (visited often enough), ms. */
  coveredMs: number;
  /** coveredMs / activeMs; null when no key period applied. */
  coveredShare: number | null;
  /** Longest key-period time without a visit (from a period's start, between visits, to its end), ms. */
  longestGapMs: number;
}

/**
 * Summarises a location over [from, to): `visits` sorted by time (earlier ones included so the
 * state at `from` is right), `segments` its requirement timeline (from requirementTimeline).
 * Covered time uses the same deadline math as the live engine.
 *
 * @example
 * coverageReport(visits, timeline.segments(location), from, to);
 * // { visits: 14, agencies: ['police', 'security'], activeMs: 28_800_000, coveredMs: 27_000_000, coveredShare: 0.9375, longestGapMs: 2_400_000 }
 */
export function coverageReport(visits: readonly Visit[], segments: readonly TimelineSegment[], from: number, to: number): LocationReport {
  const inWindow = visits.filter((v) => v.time >= from && v.time < to);
  const report: LocationReport = {
    visits: inWindow.length,
    agencies: [...new Set(inWindow.map((v) => v.agency))].sort(),
    activeMs: 0,
    coveredMs: 0,
    coveredShare: null,
    longestGapMs: 0,
  };
  const last: Record<string, number> = {};
  let vi = 0;
  const takeUntil = (t: number) => {
    while (vi < visits.length && visits[vi]!.time <= t) {
      const v = visits[vi++]!;
      if (!(v.time <= (last[v.agency] ?? -Infinity))) last[v.agency] = v.time;
    }
  };
  // A stretch is consecutive key-period time; gaps are measured within stretches.
  let inStretch = false;
  let lastMark = 0;
  let stretchEnd = from;
  for (const seg of segments) {
    const s = Math.max(seg.start, from);
    const e = Math.min(seg.end, to);
    if (!(s < e)) continue;
    if (!seg.rule) {
      if (inStretch) report.longestGapMs = Math.max(report.longestGapMs, stretchEnd - lastMark);
      inStretch = false;
      continue;
    }
    if (!inStretch) {
      inStretch = true;
      lastMark = s;
    }
    stretchEnd = e;
    const requirement = { gapMs: seg.rule.maxGapMinutes * 60_000, minAgencies: seg.rule.minAgencies ?? 1, since: seg.start, leadMs: 0 };
    report.activeMs += e - s;
    // Between consecutive visits the deadline is fixed: uncovered from just after it.
    takeUntil(s);
    for (let a = s; ; ) {
      // takeUntil(a) consumed every visit at or before a, so the next one is later.
      const next = vi < visits.length && visits[vi]!.time < e ? visits[vi]!.time : e;
      const { deadline } = nextDeadline(last, requirement);
      report.coveredMs += Math.max(0, Math.min(next, deadline) - a);
      if (next >= e) break;
      report.longestGapMs = Math.max(report.longestGapMs, next - lastMark);
      lastMark = next;
      takeUntil(next);
      a = next;
    }
  }
  if (inStretch) report.longestGapMs = Math.max(report.longestGapMs, stretchEnd - lastMark);
  if (report.activeMs > 0) report.coveredShare = report.coveredMs / report.activeMs;
  return report;
}
