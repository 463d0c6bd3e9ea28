/**
 * The demo's trickle of incidents: the same seed and clock always give the same incidents, at
 * a realistic rate and mix, and each incident's next step comes at a believable time.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoCounty, stepLimits, type IncidentCategory, type IncidentSource } from '@lianfang/geo';
import { nextStep, plannedIncidents, scriptOf, type IncidentSnapshot, type TrickleTownship } from '../../../../server/src/simulator/trickle.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Midnight, 10 March 2026, in Shuyang (UTC+8). */
const DAY = Date.UTC(2026, 2, 9, 16);

const county = generateDemoCounty();
const townships: TrickleTownship[] = county.townships.map((t) => ({ id: t.id, name: t.name, kind: t.kind, grids: county.grids.filter((g) => g.townshipId === t.id) }));

describe(plannedIncidents.name, () => {
  it('gives the same incidents for the same seed and clock, however the window is split', () => {
    const whole = plannedIncidents(townships, DAY + 9 * HOUR, DAY + 11 * HOUR, { seed: 7 });
    const cuts = [0, 17, 33, 60, 61, 120].map((m) => DAY + 9 * HOUR + m * MIN);
    const pieces = cuts.slice(1).flatMap((to, i) => plannedIncidents(townships, cuts[i]!, to, { seed: 7 }));
    expect(whole.length).toBeGreaterThan(20);
    expect(pieces).toEqual(whole);
    expect(plannedIncidents(townships, DAY + 9 * HOUR, DAY + 11 * HOUR, { seed: 7 })).toEqual(whole);
    expect(plannedIncidents(townships, DAY + 9 * HOUR, DAY + 11 * HOUR, { seed: 8 })).not.toEqual(whole);
    expect(new Set(whole.map((p) => p.id)).size).toBe(whole.length);
  });

  it('puts every incident inside its grid and township, with a reporter and an address', () => {
    const day = plannedIncidents(townships, DAY, DAY + 24 * HOUR, { seed: 1 });
    const grids = new Map(county.grids.map((g) => [g.id, g]));
    for (const p of day) {
      expect(grids.get(p.gridId)?.townshipId).toBe(p.townshipId);
      expect(p.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      expect(p.reporterPhone).toMatch(/^1390\d{7}$/);
      expect(p.description.length).toBeGreaterThan(3);
    }
  });

  it('makes a realistic day: a few per township per hour, busier by day and in towns, help requests and disputes most common, all three sources', () => {
    const day = plannedIncidents(townships, DAY, DAY + 24 * HOUR, { seed: 1 });
    const perTownshipHour = day.length / townships.length / 24;
    expect(perTownshipHour).toBeGreaterThan(0.5);
    expect(perTownshipHour).toBeLessThan(4);

    const hourOf = (t: number) => new Date(t + 8 * HOUR).getUTCHours();
    const night = day.filter((p) => hourOf(p.at) >= 1 && hourOf(p.at) < 5).length / 4;
    const daytime = day.filter((p) => hourOf(p.at) >= 9 && hourOf(p.at) < 18).length / 9;
    expect(daytime).toBeGreaterThan(night * 3);

    const kindOf = new Map(townships.map((t) => [t.id, t.kind]));
    const rate = (kind: string) => day.filter((p) => kindOf.get(p.townshipId) === kind).length / townships.filter((t) => t.kind === kind).length;
    expect(rate('street')).toBeGreaterThan(rate('township'));

    const byCategory = new Map<IncidentCategory, number>();
    for (const p of day) byCategory.set(p.category, (byCategory.get(p.category) ?? 0) + 1);
    const ranked = [...byCategory].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    expect(ranked.slice(0, 2).sort()).toEqual(['dispute', 'help']);
    expect(byCategory.size).toBeGreaterThanOrEqual(7);

    const bySource = new Map<IncidentSource, number>();
    for (const p of day) bySource.set(p.source, (bySource.get(p.source) ?? 0) + 1);
    for (const source of ['public', 'patrol', 'dispatcher'] as const) expect(bySource.get(source)! / day.length).toBeGreaterThan(0.15);
    // The public help form only offers its own categories.
    expect(day.filter((p) => p.source === 'public').every((p) => ['help', 'dispute', 'safety_hazard', 'public_order', 'other'].includes(p.category))).toBe(true);
  });
});

describe(nextStep.name, () => {
  const T = DAY + 10 * HOUR;
  const incident = (over: Partial<IncidentSnapshot>): IncidentSnapshot => ({
    id: '42',
    category: 'help',
    state: 'new',
    disputeLevel: null,
    due: null,
    history: [{ event: 'created', state: 'new', at: T }],
    ...over,
  });
  const script = (over: Partial<ReturnType<typeof scriptOf>> = {}) => ({ ...scriptOf('42', 'help', 'public', 1), lateByMs: null, ...over });

  it('sends a team to a simulated incident within the dispatch limit, and leaves the map dispatcher’s own ones alone', () => {
    const due = { action: 'dispatch' as const, at: T + stepLimits('help', 1).dispatch };
    const step = nextStep(incident({ due }), script({ dispatchAfterMs: 4 * MIN }), 0, true)!;
    expect(step).toMatchObject({ action: 'dispatch', by: 'dispatcher' });
    expect(step.at).toBeLessThan(due.at);
    expect(nextStep(incident({ due }), script(), 0, false)).toBeNull();
  });

  it('has the team accept 1–3 minutes after it was sent, or after the limit when scripted late', () => {
    const history = [
      { event: 'created' as const, state: 'new' as const, at: T },
      { event: 'dispatch' as const, state: 'dispatched' as const, at: T + MIN },
    ];
    const due = { action: 'accept' as const, at: T + 5 * MIN };
    const onTime = nextStep(incident({ state: 'dispatched', history, due }), script({ acceptAfterMs: 2 * MIN }), 0, false)!;
    expect(onTime).toEqual({ action: 'accept', at: T + 3 * MIN, by: 'team' });
    const late = nextStep(incident({ state: 'dispatched', history, due }), script({ lateByMs: 2 * MIN }), 0, false)!;
    expect(late.at).toBe(T + 7 * MIN);
  });

  it('has the team arrive after its travel time and resolve after the work on scene', () => {
    const accepted = [{ event: 'created' as const, state: 'new' as const, at: T }, { event: 'accept' as const, state: 'accepted' as const, at: T + 3 * MIN }];
    expect(nextStep(incident({ state: 'accepted', history: accepted }), script(), 7 * MIN, false)).toEqual({ action: 'arrive', at: T + 10 * MIN, by: 'team' });
    const onScene = [...accepted, { event: 'arrive' as const, state: 'on_scene' as const, at: T + 10 * MIN }];
    expect(nextStep(incident({ state: 'on_scene', history: onScene }), script({ workMs: 12 * MIN }), 0, false)).toMatchObject({ action: 'resolve', at: T + 22 * MIN, by: 'team' });
  });

  it('climbs a scripted dispute up the ladder: village team passes it up, the township centre reopens it and passes it to the county, which settles it', () => {
    const s = script({ escalates: { village: true, township: true }, workMs: 20 * MIN, mediationMs: 60 * MIN });
    const arrived = [{ event: 'created' as const, state: 'new' as const, at: T }, { event: 'arrive' as const, state: 'on_scene' as const, at: T + 10 * MIN }];
    expect(nextStep(incident({ category: 'dispute', state: 'on_scene', disputeLevel: 'village', history: arrived }), s, 0, true)).toMatchObject({ action: 'escalate', by: 'team', at: T + 30 * MIN, reason: expect.stringContaining('两中心') });
    const escalated = [...arrived, { event: 'escalate' as const, state: 'escalated' as const, at: T + 30 * MIN }];
    expect(nextStep(incident({ category: 'dispute', state: 'escalated', disputeLevel: 'township', history: escalated }), s, 0, true)).toEqual({ action: 'reopen', at: T + 35 * MIN, by: 'dispatcher' });
    const reopened = [...escalated, { event: 'reopen' as const, state: 'new' as const, at: T + 35 * MIN }];
    expect(nextStep(incident({ category: 'dispute', state: 'new', disputeLevel: 'township', history: reopened }), s, 0, true)).toMatchObject({ action: 'escalate', by: 'dispatcher', reason: expect.stringContaining('三中心') });
    const atCounty = [...reopened, { event: 'escalate' as const, state: 'escalated' as const, at: T + 36 * MIN }];
    expect(nextStep(incident({ category: 'dispute', state: 'escalated', disputeLevel: 'county', history: atCounty }), s, 0, true)).toMatchObject({ action: 'resolve', at: T + 96 * MIN, note: expect.stringContaining('县三中心') });
    // Not scripted to climb: settled where it is.
    expect(nextStep(incident({ category: 'dispute', state: 'escalated', disputeLevel: 'township', history: escalated }), { ...s, escalates: { village: true, township: false } }, 0, true)?.action).toBe('resolve');
  });

  it('scripts about one acceptance in 14 late and one village dispute in 5 passed up', () => {
    const scripts = Array.from({ length: 4000 }, (_, i) => scriptOf(String(i), 'dispute', 'public', 3));
    const late = scripts.filter((s) => s.lateByMs !== null).length / scripts.length;
    const up = scripts.filter((s) => s.escalates.village).length / scripts.length;
    expect(late).toBeGreaterThan(0.04);
    expect(late).toBeLessThan(0.1);
    expect(up).toBeGreaterThan(0.16);
    expect(up).toBeLessThan(0.24);
    expect(scriptOf('7', 'dispute', 'public', 3)).toEqual(scriptOf('7', 'dispute', 'public', 3));
  });
});
