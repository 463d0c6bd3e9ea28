import { describe, expect, it } from 'vitest';
import { applyIncidents, EMPTY_LIST, geoUri, newlyArrived, nextSteps, refusalOf, reportPayload, stateAfter, towards, type IncidentView } from '../../../web/src/lib/patrol/teamIncidents.ts';
import { enqueue, itemKey, loadQueue, nextBatch, saveQueue, type QueueItem } from '../../../web/src/lib/patrol/queue.ts';

const T = 1_800_000_000_000;

function incident(over: Partial<IncidentView> = {}): IncidentView {
  return {
    id: 'inc-1',
    reference: 'SY7K3M9Q2X',
    category: 'help',
    severity: 1,
    state: 'dispatched',
    source: 'public',
    lon: 118.77,
    lat: 34.12,
    gridId: 'G1',
    townshipId: 'T1',
    address: null,
    description: '老人摔倒',
    reporter: { name: null, phone: '13800001111' },
    teamId: 'TM001',
    createdAt: T,
    updatedAt: T,
    acknowledged: null,
    due: null,
    disputeLevel: null,
    version: 2,
    history: [],
    ...over,
  };
}

describe('the next step on the patrol page', () => {
  it('is accept, then on scene, then resolve; passing up is there until closed', () => {
    expect(nextSteps('dispatched')).toEqual({ forward: 'accept', escalate: true });
    expect(nextSteps('accepted')).toEqual({ forward: 'arrive', escalate: true });
    expect(nextSteps('on_scene')).toEqual({ forward: 'resolve', escalate: true });
    expect(nextSteps('resolved')).toEqual({ forward: null, escalate: false });
    expect(nextSteps('escalated')).toEqual({ forward: null, escalate: false });
  });

  it('follows the steps queued offline, skipping one that does not fit', () => {
    expect(stateAfter('dispatched', ['accept', 'arrive'])).toBe('on_scene');
    expect(stateAfter('dispatched', ['arrive'])).toBe('dispatched');
    expect(stateAfter('accepted', ['escalate', 'arrive'])).toBe('escalated');
  });
});

describe('incidents the team sees', () => {
  it('lists a newly dispatched incident and flags it as arrived', () => {
    const list = applyIncidents(EMPTY_LIST, [incident()], 'TM001');
    expect(list.open.map((i) => i.id)).toEqual(['inc-1']);
    expect(list.arrived).toEqual(['inc-1']);
  });

  it('rings the phone for an incident newly dispatched to the team, once, however often the server sends it again', () => {
    const first = applyIncidents(EMPTY_LIST, [incident()], 'TM001');
    expect(newlyArrived(EMPTY_LIST, first)).toEqual(['inc-1']);
    const again = applyIncidents(first, [incident()], 'TM001');
    expect(newlyArrived(first, again)).toEqual([]);
    // Reloaded on reconnect with a second one dispatched meanwhile: only that one rings.
    const reloaded = applyIncidents(again, [incident(), incident({ id: 'inc-2', version: 1 })], 'TM001', true);
    expect(newlyArrived(again, reloaded)).toEqual(['inc-2']);
  });

  it('stops the alert once accepted, and ignores an older version arriving late', () => {
    let list = applyIncidents(EMPTY_LIST, [incident()], 'TM001');
    list = applyIncidents(list, [incident({ state: 'accepted', version: 3 })], 'TM001');
    expect(list.arrived).toEqual([]);
    list = applyIncidents(list, [incident({ state: 'dispatched', version: 2 })], 'TM001');
    expect(list.open[0]!.state).toBe('accepted');
    expect(list.arrived).toEqual([]);
  });

  it('moves an incident resolved or sent to another team to closed, so the patrol learns why it left', () => {
    let list = applyIncidents(EMPTY_LIST, [incident(), incident({ id: 'inc-2', version: 1 })], 'TM001');
    list = applyIncidents(list, [incident({ state: 'resolved', version: 5 }), incident({ id: 'inc-2', teamId: 'TM009', version: 2 })], 'TM001');
    expect(list.open).toEqual([]);
    expect(list.closed.map((i) => [i.id, i.state, i.teamId])).toEqual([
      ['inc-1', 'resolved', 'TM001'],
      ['inc-2', 'dispatched', 'TM009'],
    ]);
    expect(list.arrived).toEqual([]);
  });

  it('does not list incidents of other teams or not dispatched', () => {
    const list = applyIncidents(EMPTY_LIST, [incident({ teamId: 'TM002' }), incident({ id: 'inc-3', state: 'new', teamId: null })], 'TM001');
    expect(list.open).toEqual([]);
    expect(list.closed).toEqual([]);
  });

  it('a snapshot after a reconnect replaces the open list', () => {
    let list = applyIncidents(EMPTY_LIST, [incident(), incident({ id: 'inc-2' })], 'TM001');
    list = applyIncidents(list, [incident({ id: 'inc-2', state: 'accepted', version: 3 })], 'TM001', true);
    expect(list.open.map((i) => [i.id, i.state])).toEqual([['inc-2', 'accepted']]);
    expect(list.arrived).toEqual([]);
  });

  it('puts the most urgent first, then the oldest', () => {
    const list = applyIncidents(
      EMPTY_LIST,
      [incident({ id: 'a', severity: 3, createdAt: T }), incident({ id: 'b', severity: 1, createdAt: T + 2 }), incident({ id: 'c', severity: 1, createdAt: T + 1 })],
      'TM001',
    );
    expect(list.open.map((i) => i.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('a refused step or report, as the patrol hears it', () => {
  it('tells another team’s incident, one that moved on, and no position from anything else', () => {
    expect(refusalOf({ message: 'incident X is not dispatched to your team', field: 'incidentId' })).toBe('not-ours');
    expect(refusalOf({ message: 'cannot accept an incident that is accepted: it is already accepted' })).toBe('state-changed');
    expect(refusalOf({ message: 'lon is required: your team has not reported a position yet', field: 'lon' })).toBe('no-position');
    expect(refusalOf({ message: 'description must NOT have fewer than 1 characters', field: 'description' })).toBe('other');
  });

  it('says an arrival refused because the incident moved on is a state change (the message reads "cannot arrive at")', () => {
    expect(refusalOf({ message: 'cannot arrive at an incident that is resolved: it is closed' })).toBe('state-changed');
  });
});

describe("the patrol's own report", () => {
  it('sends what the form says, trimmed, at the fix when there is a fresh one', () => {
    const input = { category: 'traffic' as const, description: ' 路口事故 ', address: ' 幸福路口 ' };
    expect(reportPayload('report-0001', input, { lon: 118.77, lat: 34.12 })).toEqual({
      id: 'report-0001',
      category: 'traffic',
      description: '路口事故',
      address: '幸福路口',
      lon: 118.77,
      lat: 34.12,
    });
    expect(reportPayload('report-0002', { ...input, address: '  ' }, null)).toEqual({ id: 'report-0002', category: 'traffic', description: '路口事故' });
  });
});

describe('where the scene is', () => {
  it('says how far and which way', () => {
    const from = { lon: 118.77, lat: 34.12 };
    const north = towards(from, { lon: 118.77, lat: 34.12 + 500 / 110_574 });
    expect(north.compass).toBe('N');
    expect(north.metres).toBeCloseTo(500, -1);
    expect(towards(from, { lon: 118.78, lat: 34.11 }).compass).toBe('SE');
    expect(towards(from, { lon: 118.76, lat: 34.12 }).compass).toBe('W');
  });

  it('hands the phone a geo: address for its map app', () => {
    expect(geoUri(118.77, 34.12)).toBe('geo:34.120000,118.770000?q=34.120000,118.770000');
    expect(geoUri(118.77, 34.12, '人民路 1 号')).toContain('(%E4%BA%BA');
  });
});

describe('incident steps and reports in the outbox', () => {
  const fix = (time: number): QueueItem => ({ kind: 'fix', fix: { lon: 118.77, lat: 34.12, time } });
  const step: QueueItem = { kind: 'step', step: { key: 'step-0001', payload: { incidentId: 'inc-1', action: 'accept' } } };
  const report: QueueItem = { kind: 'report', report: { id: 'report-0001', category: 'traffic', description: '路口事故' } };

  it('go before the fixes queued ahead of them, in the order taken', () => {
    const items = [fix(T), fix(T + 5000), step, report];
    expect(nextBatch(items)).toEqual({ kind: 'step', step: step.step, key: 's:step-0001' });
    expect(nextBatch([fix(T), report, step])).toMatchObject({ kind: 'report', key: 'r:report-0001' });
  });

  it('are queued once per key', () => {
    expect(enqueue([step], step)).toHaveLength(1);
    expect(itemKey(report)).toBe('r:report-0001');
  });

  it('survive a reload', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
    saveQueue(storage, 'q', [fix(T), step, report]);
    expect(loadQueue(storage, 'q')).toEqual([fix(T), step, report]);
    data.set('q', JSON.stringify([{ kind: 'step', step: { key: 'k', payload: { incidentId: 'inc-1', action: 'dispatch' } } }]));
    expect(loadQueue(storage, 'q')).toEqual([]);
  });
});
