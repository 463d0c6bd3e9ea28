import { describe, expect, it } from 'vitest';
import {
  INCIDENT_ACTIONS,
  INCIDENT_STATES,
  INCIDENT_TRANSITIONS,
  checkTransition,
  defaultSeverity,
  disputeStats,
  dueStep,
  nextDisputeLevel,
  stepLimits,
  type DisputeRecord,
} from '@lianfang/geo';

const MIN = 60_000;

describe(checkTransition.name, () => {
  it('follows new → dispatched → accepted → on scene → resolved', () => {
    expect(checkTransition('new', 'dispatch')).toEqual({ ok: true, to: 'dispatched' });
    expect(checkTransition('dispatched', 'accept')).toEqual({ ok: true, to: 'accepted' });
    expect(checkTransition('accepted', 'arrive')).toEqual({ ok: true, to: 'on_scene' });
    expect(checkTransition('on_scene', 'resolve')).toEqual({ ok: true, to: 'resolved' });
  });

  it('lets an escalated incident be dispatched again or reopened as new', () => {
    expect(checkTransition('escalated', 'dispatch')).toEqual({ ok: true, to: 'dispatched' });
    expect(checkTransition('escalated', 'reopen')).toEqual({ ok: true, to: 'new' });
  });

  it('refuses to accept a new incident, saying to dispatch it first', () => {
    expect(checkTransition('new', 'accept')).toEqual({ ok: false, reason: 'cannot accept an incident that is new: dispatch it first' });
  });

  it('refuses on scene before accepting, and anything once resolved', () => {
    expect(checkTransition('dispatched', 'arrive')).toEqual({ ok: false, reason: 'cannot arrive at an incident that is dispatched: accept it first' });
    for (const action of INCIDENT_ACTIONS) expect(checkTransition('resolved', action)).toMatchObject({ ok: false, reason: expect.stringContaining('it is closed') });
  });

  it('answers every state and action pair with a target from the table or a reason naming both', () => {
    for (const state of INCIDENT_STATES) {
      for (const action of INCIDENT_ACTIONS) {
        const r = checkTransition(state, action);
        if (INCIDENT_TRANSITIONS[action].from.includes(state)) expect(r).toEqual({ ok: true, to: INCIDENT_TRANSITIONS[action].to });
        else expect(r.ok === false && r.reason.startsWith(`cannot ${action === 'arrive' ? 'arrive at' : action} an incident that is ${state.replace('_', ' ')}: `)).toBe(true);
      }
    }
  });

  it('throws on an unknown action', () => {
    expect(() => checkTransition('new', 'fly' as never)).toThrow(/unknown action fly/);
  });
});

describe(defaultSeverity.name, () => {
  it('makes help requests most urgent, disputes least, the rest in between', () => {
    expect(defaultSeverity('help')).toBe(1);
    expect(defaultSeverity('dispute')).toBe(3);
    expect(defaultSeverity('traffic')).toBe(2);
  });
});

describe(stepLimits.name, () => {
  it('gives each severity its limits', () => {
    expect(stepLimits('public_order', 1)).toEqual({ dispatch: 2 * MIN, accept: 5 * MIN, arrive: 15 * MIN, resolve: 120 * MIN });
    expect(stepLimits('public_order', 2)).toEqual({ dispatch: 5 * MIN, accept: 10 * MIN, arrive: 30 * MIN, resolve: 8 * 60 * MIN });
    expect(stepLimits('dispute', 3)).toEqual({ dispatch: 15 * MIN, accept: 30 * MIN, arrive: 120 * MIN, resolve: 72 * 60 * MIN });
  });

  it('has a help request accepted within 5 minutes whatever its severity, dispatched no later', () => {
    expect(stepLimits('help', 3)).toMatchObject({ dispatch: 5 * MIN, accept: 5 * MIN, arrive: 120 * MIN });
    expect(stepLimits('help', 2).accept).toBe(5 * MIN);
  });
});

describe(dueStep.name, () => {
  const base = { category: 'public_order' as const, severity: 2 as const, createdAt: 1000, history: [] };
  it('gives the next step and its deadline from creation', () => {
    expect(dueStep({ ...base, state: 'new' })).toEqual({ action: 'dispatch', at: 1000 + 5 * MIN });
    expect(dueStep({ ...base, state: 'dispatched' })).toEqual({ action: 'accept', at: 1000 + 10 * MIN });
    expect(dueStep({ ...base, state: 'accepted' })).toEqual({ action: 'arrive', at: 1000 + 30 * MIN });
    expect(dueStep({ ...base, state: 'on_scene' })).toEqual({ action: 'resolve', at: 1000 + 8 * 60 * MIN });
    expect(dueStep({ ...base, state: 'resolved' })).toBeNull();
  });

  it('starts the clock again at the latest escalation', () => {
    const history = [{ event: 'escalate' as const, at: 50 * MIN }];
    expect(dueStep({ ...base, state: 'escalated', history })).toEqual({ action: 'dispatch', at: 55 * MIN });
  });
});

describe(nextDisputeLevel.name, () => {
  it('climbs village → township → county and stops there', () => {
    expect(nextDisputeLevel('village')).toBe('township');
    expect(nextDisputeLevel('township')).toBe('county');
    expect(nextDisputeLevel('county')).toBeNull();
  });
});

describe(disputeStats.name, () => {
  const dispute = (createdAt: number, state: DisputeRecord['state'], disputeLevel: DisputeRecord['disputeLevel'], escalations: [number, 'township' | 'county'][] = []): DisputeRecord => ({
    category: 'dispute',
    state,
    createdAt,
    disputeLevel,
    history: escalations.map(([at, level]) => ({ event: 'escalate', at, level })),
  });

  it('counts cases reaching each level, those settled there, and the success rate', () => {
    const rows = disputeStats(
      [
        dispute(10, 'resolved', 'village'),
        dispute(20, 'resolved', 'village'),
        dispute(30, 'resolved', 'township', [[40, 'township']]),
        dispute(50, 'escalated', 'county', [[60, 'township'], [70, 'county']]),
        { ...dispute(15, 'resolved', null), category: 'traffic' },
      ],
      { from: 0, to: 100 },
    );
    expect(rows).toEqual([
      { level: 'village', cases: 4, settled: 2, successRate: 0.5 },
      { level: 'township', cases: 2, settled: 1, successRate: 0.5 },
      { level: 'county', cases: 1, settled: 0, successRate: 0 },
    ]);
  });

  it('counts a level only when it was reached inside the window, and says null with no cases', () => {
    const rows = disputeStats([dispute(10, 'resolved', 'township', [[200, 'township']])], { from: 100, to: 300 });
    expect(rows).toEqual([
      { level: 'village', cases: 0, settled: 0, successRate: null },
      { level: 'township', cases: 1, settled: 1, successRate: 1 },
      { level: 'county', cases: 0, settled: 0, successRate: null },
    ]);
  });
});
