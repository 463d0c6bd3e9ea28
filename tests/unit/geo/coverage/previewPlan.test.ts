import { describe, expect, it } from 'vitest';
import { generateDemoCounty, previewPlan, PREVIEW_PERIOD_ID, type CoverageLocation, type CoverageRule, type KeyPeriod, type PlanTemplate } from '../../../../geo/src/index.ts';

const TZ = 'Asia/Shanghai';
const sh = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);

const station: CoverageLocation = { id: 'L1', category: 'station', priority: 1, gridId: 'G1', townshipId: 'T1' };
const hotel: CoverageLocation = { id: 'L2', category: 'hotel', priority: 2, gridId: 'G2', townshipId: 'T2' };
const school: CoverageLocation = { id: 'L3', category: 'school', priority: 3, gridId: 'G1', townshipId: 'T1' };
const locations = [station, hotel, school];

const night: KeyPeriod = { id: 'night', name: '夜间', kind: 'daily', hours: { start: '20:00', end: '02:00' } };
const rules: CoverageRule[] = [{ id: 'night-hotels', periodKind: 'daily', categories: ['hotel'], maxGapMinutes: 60 }];
const event: PlanTemplate = {
  id: 'T1',
  name: '重大活动',
  kind: 'event',
  rules: [
    { name: '一级', priorities: [1], maxGapMinutes: 30, minAgencies: 2 },
    { name: '宾馆', categories: ['hotel'], maxGapMinutes: 45 },
  ],
};

describe(previewPlan.name, () => {
  it('lists what the plan in force asks at an instant, with the rule and period that cause it', () => {
    const p = previewPlan({ locations, keyGridIds: new Set(), periods: [night], rules, at: sh(2026, 3, 10, 21) }, { timeZone: TZ });
    expect(p.inArea).toBe(3);
    expect(p.required).toEqual([{ locationId: 'L2', maxGapMinutes: 60, minAgencies: 1, rule: rules[0], periodIds: ['night'], byTemplate: false }]);
    expect(p.applied).toBeNull();
  });

  it('asks nothing outside the period hours', () => {
    const p = previewPlan({ locations, keyGridIds: new Set(), periods: [night], rules, at: sh(2026, 3, 10, 12) }, { timeZone: TZ });
    expect(p.required).toEqual([]);
  });

  it('previews a template on an area before it is applied: only that area, the stricter rule winning', () => {
    const p = previewPlan(
      { locations, keyGridIds: new Set(), periods: [night], rules, at: sh(2026, 5, 1, 21), area: { gridIds: ['G2'] }, template: { template: event, start: '2026-05-01', end: '2026-05-03' } },
      { timeZone: TZ },
    );
    expect(p.inArea).toBe(1);
    expect(p.required.map((r) => [r.locationId, r.maxGapMinutes, r.byTemplate])).toEqual([['L2', 45, true]]);
    expect(p.required[0]!.periodIds).toEqual([PREVIEW_PERIOD_ID, 'night']);
    expect(p.applied?.period).toMatchObject({ kind: 'event', start: '2026-05-01', end: '2026-05-03', scope: { gridIds: ['G2'] } });
  });

  it('lists the strictest first, two agencies before one', () => {
    const p = previewPlan(
      { locations, keyGridIds: new Set(), periods: [], rules: [], at: sh(2026, 5, 2, 9), area: { townshipIds: ['T1', 'T2'] }, template: { template: event, start: '2026-05-01', end: '2026-05-03' } },
      { timeZone: TZ },
    );
    expect(p.required.map((r) => [r.locationId, r.maxGapMinutes, r.minAgencies])).toEqual([
      ['L1', 30, 2],
      ['L2', 45, 1],
    ]);
  });

  it('requires nothing of the template outside its dates', () => {
    const p = previewPlan({ locations, keyGridIds: new Set(), periods: [], rules: [], at: sh(2026, 5, 4, 9), template: { template: event, start: '2026-05-01', end: '2026-05-03' } }, { timeZone: TZ });
    expect(p.required).toEqual([]);
  });

  it('answers 5,000 locations quickly', () => {
    const county = generateDemoCounty({ seed: 7 });
    const all: CoverageLocation[] = county.locations.slice(0, 5000);
    const started = performance.now();
    const p = previewPlan({ locations: all, keyGridIds: new Set(), periods: [night], rules, at: sh(2026, 5, 2, 9), template: { template: event, start: '2026-05-01', end: '2026-05-03' } }, { timeZone: TZ });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(p.inArea).toBe(all.length);
    expect(p.required.length).toBeGreaterThan(0);
  });
});
