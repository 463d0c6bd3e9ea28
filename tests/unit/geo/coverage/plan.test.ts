import { describe, expect, it } from 'vitest';
import {
  applyTemplate,
  coverageClassKey,
  coverageReport,
  coverageStateAt,
  generateDemoCounty,
  effectivePriority,
  nextDeadline,
  planCoverage,
  requirementTimeline,
  strictestRule,
  type CoverageLocation,
  type CoverageRule,
  type KeyPeriod,
  type PlanTemplate,
} from '../../../../geo/src/index.ts';

const TZ = 'Asia/Shanghai';
const sh = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const MIN = 60_000;

const station: CoverageLocation = { id: 'L1', category: 'station', priority: 1, gridId: 'G1', townshipId: 'T1' };
const hotel: CoverageLocation = { id: 'L2', category: 'hotel', priority: 2, gridId: 'G2', townshipId: 'T2' };
const keyHotel: CoverageLocation = { id: 'L3', category: 'hotel', priority: 2, gridId: 'G9', townshipId: 'T2' };

const spring: KeyPeriod = { id: 'spring', name: '春节', kind: 'holiday', holidays: ['春节'] };
const night: KeyPeriod = { id: 'night', name: '夜间', kind: 'daily', hours: { start: '20:00', end: '02:00' } };
const rules: CoverageRule[] = [
  { id: 'r-station-holiday', periodKind: 'holiday', categories: ['station'], maxGapMinutes: 30 },
  { id: 'r-hotel-night', periodKind: 'daily', categories: ['hotel'], maxGapMinutes: 60 },
  { id: 'r-p1-night', periodKind: 'daily', priorities: [1], maxGapMinutes: 45 },
  { id: 'r-any-holiday', periodKind: 'holiday', maxGapMinutes: 120 },
];
const plan = (now: number, locations = [station, hotel, keyHotel], periods = [spring, night]) =>
  planCoverage({ locations, keyGridIds: new Set(['G9']), periods, rules, now }, { timeZone: TZ });

describe(strictestRule.name, () => {
  it('picks the shortest gap where periods overlap', () => {
    expect(strictestRule(rules, [spring, night], 'station', 1)?.id).toBe('r-station-holiday');
    expect(strictestRule(rules, [spring, night], 'hotel', 2)?.id).toBe('r-hotel-night');
    expect(strictestRule(rules, [spring], 'hotel', 2)?.id).toBe('r-any-holiday');
  });
  it('breaks a tie on gap by the most agencies', () => {
    const tied: CoverageRule[] = [
      { id: 'a', periodKind: 'event', maxGapMinutes: 30 },
      { id: 'b', periodKind: 'event', maxGapMinutes: 30, minAgencies: 2 },
    ];
    expect(strictestRule(tied, [{ id: 'e', kind: 'event' }], 'school', 3)?.id).toBe('b');
  });
  it('answers null when no rule is for the active periods', () => {
    expect(strictestRule(rules, [{ id: 'e', kind: 'event' }], 'station', 1)).toBeNull();
  });
});

describe(effectivePriority.name, () => {
  it('raises a location in a key grid one level', () => {
    expect([effectivePriority(3, true), effectivePriority(2, true), effectivePriority(1, true), effectivePriority(2, false)]).toEqual([2, 1, 1, 2]);
  });
});

describe(planCoverage.name, () => {
  it('leaves every location inactive outside key periods, and says when the next one starts', () => {
    const p = plan(sh(2026, 3, 10, 12));
    expect(p.requirements.size).toBe(0);
    expect(p.nextChange).toBe(sh(2026, 3, 10, 20));
  });

  it('gives the strictest requirement where the holiday and the night overlap, since the stricter one started', () => {
    const p = plan(sh(2026, 2, 17, 21));
    // Hotel: 120 min all holiday, 60 min from 20:00 — the night's rule wins, since 20:00.
    expect(p.requirements.get('L2')).toMatchObject({ gapMs: 60 * MIN, since: sh(2026, 2, 17, 20), ruleId: 'r-hotel-night', leadMs: 12 * MIN });
    expect(p.requirements.get('L1')).toMatchObject({ gapMs: 30 * MIN, ruleId: 'r-station-holiday' });
  });

  it('gives a hotel in a key grid the priority-1 rule', () => {
    expect(plan(sh(2026, 2, 17, 21)).requirements.get('L3')).toMatchObject({ gapMs: 45 * MIN, ruleId: 'r-p1-night' });
  });

  it('keeps "since" at the holiday start when only a looser period starts on top', () => {
    // 30 min (holiday) vs 45 min (night, priority 1): the requirement did not change at 20:00.
    // Station: 30 min since Spring Festival began (15 Feb 00:00); the night's 45 min changes nothing.
    const p = plan(sh(2026, 2, 17, 21));
    expect(p.requirements.get('L1')).toMatchObject({ since: sh(2026, 2, 15), periodIds: ['night', 'spring'] });
  });

  it('recomputes when a night window ends across midnight', () => {
    const p = plan(sh(2026, 3, 11, 1), [hotel]);
    expect(p.requirements.get('L2')).toMatchObject({ since: sh(2026, 3, 10, 20) });
    expect(p.nextChange).toBe(sh(2026, 3, 11, 2));
  });

  it('treats a make-up working day as an ordinary day', () => {
    // 14 Feb 2026, a Saturday worked for Spring Festival: no holiday rule for the station at noon.
    expect(plan(sh(2026, 2, 14, 12), [station]).requirements.has('L1')).toBe(false);
    expect(plan(sh(2026, 2, 15, 12), [station]).requirements.get('L1')).toMatchObject({ gapMs: 30 * MIN, since: sh(2026, 2, 15) });
  });

  it('applies a scoped period only to the locations it takes in', () => {
    const fair: KeyPeriod = { id: 'fair', name: '花木节', kind: 'event', start: '2026-05-01', end: '2026-05-03', scope: { townshipIds: ['T2'] } };
    const p = planCoverage(
      { locations: [station, hotel], keyGridIds: new Set(), periods: [fair], rules: [{ id: 'e', periodId: 'fair', maxGapMinutes: 20 }], now: sh(2026, 5, 2, 9) },
      { timeZone: TZ },
    );
    expect([...p.requirements.keys()]).toEqual(['L2']);
  });
});

describe(requirementTimeline.name, () => {
  it('marks the since of the station\'s 30 minutes at the holiday\'s midnight, not at 20:00', () => {
    const t = requirementTimeline([spring, night], rules, new Set(), sh(2026, 2, 17), sh(2026, 2, 18), { timeZone: TZ });
    expect(t.segments(station).map((s) => [s.start, s.end, s.rule?.id ?? null])).toEqual([[sh(2026, 2, 17), sh(2026, 2, 18), 'r-station-holiday']]);
  });
});

describe(nextDeadline.name, () => {
  const req = { gapMs: 30 * MIN, minAgencies: 1, since: 0, leadMs: 6 * MIN };
  it('runs one gap from the latest visit', () => {
    expect(nextDeadline({ police: 10 * MIN, grid: 20 * MIN }, req)).toEqual({ deadline: 50 * MIN, dueAt: 44 * MIN });
  });
  it('never falls before since + gap (a new period gives one full gap)', () => {
    expect(nextDeadline({ police: 10 * MIN }, { ...req, since: 100 * MIN })).toEqual({ deadline: 130 * MIN, dueAt: 124 * MIN });
    expect(nextDeadline({}, { ...req, since: 100 * MIN }).deadline).toBe(130 * MIN);
  });
  it('with two agencies required, runs from the second-latest agency', () => {
    expect(nextDeadline({ police: 10 * MIN, grid: 20 * MIN }, { ...req, minAgencies: 2 }).deadline).toBe(40 * MIN);
    expect(nextDeadline({ police: 10 * MIN }, { ...req, minAgencies: 2, since: 5 * MIN }).deadline).toBe(35 * MIN);
  });
});

describe(coverageStateAt.name, () => {
  const due = { deadline: 1000, dueAt: 800 };
  it('keeps a location covered through a visit exactly at the deadline, uncovered only after it', () => {
    expect(coverageStateAt(799, due)).toBe('covered');
    expect(coverageStateAt(800, due)).toBe('due_soon');
    expect(coverageStateAt(1000, due)).toBe('due_soon');
    expect(coverageStateAt(1001, due)).toBe('uncovered');
    // A visit at 1000 moves the deadline: covered again.
    expect(coverageStateAt(1000, nextDeadline({ police: 1000 }, { gapMs: 1000, minAgencies: 1, since: 0, leadMs: 200 }))).toBe('covered');
    expect(coverageStateAt(5, null)).toBe('inactive');
    // With no lead time a location is never due soon: covered through its deadline.
    expect(coverageStateAt(1000, { deadline: 1000, dueAt: 1000 })).toBe('covered');
  });
});

describe(coverageReport.name, () => {
  it('counts visits, the longest gap and the covered share of a period', () => {
    const event: KeyPeriod = { id: 'e', name: '活动', kind: 'event', start: '2026-05-01T08:00', end: '2026-05-01T12:00' };
    const rule: CoverageRule = { id: 'r', periodId: 'e', maxGapMinutes: 60 };
    const from = sh(2026, 5, 1);
    const to = sh(2026, 5, 2);
    const t = requirementTimeline([event], [rule], new Set(), from, to, { timeZone: TZ });
    const visits = [
      { time: sh(2026, 5, 1, 7, 50), agency: 'police' }, // before the period began: does not shorten its first gap
      { time: sh(2026, 5, 1, 8, 30), agency: 'police' },
      { time: sh(2026, 5, 1, 10, 0), agency: 'security' }, // 90 min after: uncovered 09:30–10:00
      { time: sh(2026, 5, 1, 10, 40), agency: 'police' },
    ];
    const r = coverageReport(visits, t.segments(station), sh(2026, 5, 1, 0), to);
    expect(r).toEqual({
      visits: 4,
      agencies: ['police', 'security'],
      activeMs: 240 * MIN,
      // Deadlines 09:00 (period start + 60: the 07:50 visit is older), 09:30, 11:00, 11:40:
      // uncovered 09:30–10:00 and 11:40–12:00.
      coveredMs: 190 * MIN,
      coveredShare: 190 / 240,
      longestGapMs: 90 * MIN,
    });
  });
});

describe(applyTemplate.name, () => {
  it('creates a period and rules bound to it', () => {
    const template: PlanTemplate = { id: 't', name: '春节安保', kind: 'holiday', holidays: ['春节'], rules: [{ categories: ['station'], maxGapMinutes: 30 }] };
    const { period, rules: made } = applyTemplate(template, { periodId: 'P1', ruleIds: ['R1'], start: '2026-02-15', end: '2026-02-23' });
    expect(period).toEqual({ id: 'P1', name: '春节安保', kind: 'holiday', holidays: ['春节'], start: '2026-02-15', end: '2026-02-23' });
    expect(made).toEqual([{ id: 'R1', periodId: 'P1', categories: ['station'], maxGapMinutes: 30 }]);
  });
});

describe(coverageClassKey.name, () => {
  it('puts a key-grid hotel with the priority-1 locations the night rule takes in, apart from an ordinary hotel', () => {
    const classOf = coverageClassKey([spring, night], rules, new Set(['G9']));
    expect(classOf(keyHotel)).not.toBe(classOf(hotel));
    expect(classOf({ ...hotel, id: 'L4', townshipId: 'T1' })).toBe(classOf(hotel));
    // One rule for everything: every location in one class.
    const one = coverageClassKey([spring], [{ id: 'all', periodKind: 'holiday', maxGapMinutes: 60 }], new Set());
    expect(new Set([station, hotel, keyHotel].map(one)).size).toBe(1);
  });

  it('tells apart the locations a scoped period takes in from those it leaves out', () => {
    const fair: KeyPeriod = { id: 'fair', name: '花木节', kind: 'event', start: '2026-05-01', end: '2026-05-03', scope: { townshipIds: ['T1'] } };
    const classOf = coverageClassKey([fair], [{ id: 'e', periodId: 'fair', maxGapMinutes: 20 }], new Set());
    expect(classOf({ ...hotel, townshipId: 'T1' })).not.toBe(classOf(hotel));
  });

  it('gives every demo location the requirement of its class, at every hour of a holiday week', () => {
    const county = generateDemoCounty();
    const keyGridIds = new Set(county.grids.filter((g) => g.key).map((g) => g.id));
    const demoRules: CoverageRule[] = [
      ...rules,
      { id: 'r-crowded-event', periodId: 'fair', categories: ['crowded', 'school'], priorities: [1, 2], maxGapMinutes: 25, minAgencies: 2 },
    ];
    const fair: KeyPeriod = { id: 'fair', name: '花木节', kind: 'event', start: '2026-02-16', end: '2026-02-20', scope: { townshipIds: county.townships.slice(0, 5).map((t) => t.id) } };
    const periods = [spring, night, fair];
    const classOf = coverageClassKey(periods, demoRules, keyGridIds);
    const representatives = new Map<string, CoverageLocation>();
    for (const l of county.locations) if (!representatives.has(classOf(l))) representatives.set(classOf(l), { ...l, id: classOf(l) });
    expect(representatives.size).toBeLessThan(county.locations.length / 20);
    // Every 13 hours: night windows, the festival's first days and the scoped fair, on and off.
    for (let h = 0; h < 7 * 24; h += 13) {
      const now = sh(2026, 2, 15, 0) + h * 60 * MIN;
      const each = planCoverage({ locations: county.locations, keyGridIds, periods, rules: demoRules, now }, { timeZone: TZ });
      const byClass = planCoverage({ locations: [...representatives.values()], keyGridIds, periods, rules: demoRules, now }, { timeZone: TZ });
      for (const l of county.locations) {
        const mine = each.requirements.get(l.id);
        const theirs = byClass.requirements.get(classOf(l));
        expect(theirs && { ...theirs }).toEqual(mine && { ...mine });
      }
    }
  });
});
