/** Coverage clock math: key periods in a time zone, strictest rules, deadlines, reports. Pure. */
export * from './types.ts';
export { chineseHolidayCalendar, type CalendarDay, type HolidayCalendar } from './chineseHolidayCalendar.ts';
export { localToEpoch, localDate, localParts, addDays, parseClock, parseDate, assertTimeZone, type LocalParts } from './localTime.ts';
export { dailyWindow, dailyWindows } from './dailyWindows.ts';
export { periodBounds, type Bound } from './periodBounds.ts';
export { resolvePeriod, type ResolveOptions, type ResolvedPeriod } from './resolvePeriod.ts';
export { validatePeriod, type PlanIssue } from './validatePeriod.ts';
export { effectivePriority } from './effectivePriority.ts';
export { periodCovers } from './periodCovers.ts';
export { strictestRule, ruleAppliesIn, ruleTakesIn } from './strictestRule.ts';
export { requirementTimeline, coverageClassKey, type RequirementTimeline, type TimelineSegment } from './requirementTimeline.ts';
export { planCoverage, type CoveragePlan, type PlanOptions } from './planCoverage.ts';
export { nextDeadline } from './nextDeadline.ts';
export { coverageStateAt } from './coverageStateAt.ts';
export { coverageReport, type LocationReport } from './coverageReport.ts';
export { applyTemplate, type TemplateApplication } from './applyTemplate.ts';
