/**
 * The plan screen's preview: at one instant, which key locations of an area need a visit, how
 * often and by how many agencies, and which rule and periods cause it, under the plan in force
 * or under the plan with a template applied (before an admin applies it).
 */
import { applyTemplate } from './applyTemplate.ts';
import { periodCovers } from './periodCovers.ts';
import { requirementTimeline } from './requirementTimeline.ts';
import type { ResolveOptions } from './resolvePeriod.ts';
import type { CoverageLocation, CoverageRule, KeyPeriod, PlanTemplate, PlanWarning } from './types.ts';

/** Id of the period a previewed template would create (never a stored id: those are P1, R2 …). */
export const PREVIEW_PERIOD_ID = '(preview)';

/** Where to look: townships and/or grids (every given list must match; none: the whole county). */
export interface PreviewArea {
  townshipIds?: string[];
  gridIds?: string[];
}

/** A template as it would be applied: over [start, end] (local dates or date-times), to the area. */
export interface PreviewTemplate {
  template: PlanTemplate;
  start: string;
  end: string;
  name?: string;
}

/** What one location needs at the instant. */
export interface PreviewRequirement {
  locationId: string;
  maxGapMinutes: number;
  minAgencies: number;
  /** The winning (strictest) rule; a previewed template's rules have ids `(preview)-1` …. */
  rule: CoverageRule;
  /** Periods active for the location then (sorted ids; `(preview)` for the previewed template). */
  periodIds: string[];
  /** True when the previewed template's rule is the one that wins here. */
  byTemplate: boolean;
}

export interface PlanPreview {
  at: number;
  /** Locations of the area (required or not). */
  inArea: number;
  /** Locations that need visits then, strictest first (shortest gap, most agencies), then by id. */
  required: PreviewRequirement[];
  /** The period and rules the template would create, if one was previewed. */
  applied: { period: KeyPeriod; rules: CoverageRule[] } | null;
  warnings: PlanWarning[];
}

/**
 * Requirements at `at` of every location in `area`, under `periods` and `rules` plus, when
 * given, `template` applied to the area. One timeline over one millisecond: locations the plan
 * treats alike share the work, so 5,000 locations cost a few dozen rule evaluations.
 *
 * @example
 * previewPlan({ locations, keyGridIds, periods, rules, at, area: { gridIds: ['G0001'] },
 *   template: { template: springFestival, start: '2026-02-15', end: '2026-02-23' } }, { timeZone: 'Asia/Shanghai' });
 * // { inArea: 12, required: [{ locationId: 'L00003', maxGapMinutes: 30, minAgencies: 1, rule: { id: '(preview)-1', … }, byTemplate: true, … }], … }
 */
export function previewPlan(
  input: {
    locations: readonly CoverageLocation[];
    keyGridIds: ReadonlySet<string>;
    periods: readonly KeyPeriod[];
    rules: readonly CoverageRule[];
    at: number;
    area?: PreviewArea;
    template?: PreviewTemplate;
  },
  options: ResolveOptions,
): PlanPreview {
  const { locations, keyGridIds, at } = input;
  if (!Number.isFinite(at)) throw new RangeError('previewPlan: at must be a finite epoch ms');
  const area = input.area && (input.area.townshipIds?.length || input.area.gridIds?.length) ? input.area : undefined;
  let periods = input.periods;
  let rules = input.rules;
  let applied: PlanPreview['applied'] = null;
  if (input.template) {
    const { template, start, end, name } = input.template;
    applied = applyTemplate(template, {
      periodId: PREVIEW_PERIOD_ID,
      ruleIds: template.rules.map((_, i) => `${PREVIEW_PERIOD_ID}-${i + 1}`),
      start,
      end,
      ...(name ? { name } : {}),
      ...(area ? { scope: { ...(area.townshipIds?.length ? { townshipIds: [...area.townshipIds] } : {}), ...(area.gridIds?.length ? { gridIds: [...area.gridIds] } : {}) } } : {}),
    });
    periods = [...periods, applied.period];
    rules = [...rules, ...applied.rules];
  }

  const timeline = requirementTimeline(periods, rules, keyGridIds, at, at + 1, options);
  const areaScope = area ? { scope: area } : undefined;
  const required: PreviewRequirement[] = [];
  let inArea = 0;
  for (const location of locations) {
    if (areaScope && !periodCovers(areaScope, location)) continue;
    inArea++;
    const seg = timeline.segments(location)[0];
    if (!seg?.rule) continue;
    required.push({
      locationId: location.id,
      maxGapMinutes: seg.rule.maxGapMinutes,
      minAgencies: seg.rule.minAgencies ?? 1,
      rule: seg.rule,
      periodIds: seg.periodIds,
      byTemplate: seg.rule.periodId === PREVIEW_PERIOD_ID,
    });
  }
  required.sort((a, b) => a.maxGapMinutes - b.maxGapMinutes || b.minAgencies - a.minAgencies || a.locationId.localeCompare(b.locationId, 'en', { numeric: true }));
  return { at, inArea, required, applied, warnings: timeline.warnings };
}
