/**
 * Plan templates (holiday, major event …) apply a set of rules to a date range in one step.
 */
import type { CoverageRule, KeyPeriod, PeriodScope, PlanTemplate } from './types.ts';

export interface TemplateApplication {
  /** Id of the period to create (the caller makes ids: this stays pure). */
  periodId: string;
  /** Ids for the rules, one per template rule. */
  ruleIds: string[];
  /** Defaults to the template's name. */
  name?: string;
  start: string;
  end: string;
  scope?: PeriodScope;
}

/**
 * The period and the rules bound to it that applying `template` over [start, end] creates.
 * The rules name the period (`periodId`), so they apply in it alone, and go when it goes.
 *
 * @example
 * applyTemplate(springFestival, { periodId: 'P7', ruleIds: ['R1', 'R2'], start: '2026-02-15', end: '2026-02-23' });
 * // { period: { id: 'P7', name: '春节安保', kind: 'holiday', start: '2026-02-15', end: '2026-02-23', … }, rules: [{ id: 'R1', periodId: 'P7', … }, …] }
 */
export function applyTemplate(template: PlanTemplate, application: TemplateApplication): { period: KeyPeriod; rules: CoverageRule[] } {
  if (application.ruleIds.length !== template.rules.length) {
    throw new RangeError(`applyTemplate: ${template.rules.length} rule ids needed, got ${application.ruleIds.length}`);
  }
  const period: KeyPeriod = { id: application.periodId, name: application.name ?? template.name, kind: template.kind, start: application.start, end: application.end };
  if (template.hours) period.hours = { ...template.hours };
  if (template.holidays?.length) period.holidays = [...template.holidays];
  if (application.scope) period.scope = application.scope;
  const rules = template.rules.map((r, i): CoverageRule => ({ ...r, id: application.ruleIds[i]!, periodId: application.periodId }));
  return { period, rules };
}
