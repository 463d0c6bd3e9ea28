import { describe, expect, it } from 'vitest';
import type { AlertView, SessionUser } from '@lianfang/server/api';
import {
  ALERT_LOCATIONS_LIMIT,
  alertLocations,
  canAcknowledge,
  canResolve,
  canSend,
  compareAlerts,
  focusedLocation,
  isNewer,
  isTownshipAlert,
  lateStepOf,
  panelAlerts,
  type KeyPlace,
} from '../../../web/src/lib/live/alerts.ts';
import type { LocationCoverage } from '../../../web/src/lib/live/coverage.ts';

const T = 1_800_000_000_000;

function alert(id: string, overrides: Partial<AlertView> = {}): AlertView {
  return {
    id,
    kind: 'uncovered',
    state: 'raised',
    level: 1,
    locationId: 'L1',
    teamId: null,
    incidentId: null,
    step: null,
    orderId: null,
    title: '沭阳站',
    townshipId: 'T01',
    gridId: 'G1',
    at: T,
    raisedAt: T,
    deadline: T,
    lon: 118.7,
    lat: 34.1,
    note: null,
    acknowledged: null,
    resolved: null,
    escalatedAt: null,
    sent: null,
    history: [{ event: 'raised', by: 'system', at: T, note: null }],
    ...overrides,
  };
}

function user(role: SessionUser['role'], organisationId: string | null = null): SessionUser {
  return { id: 'u', username: role, name: role, role, organisationId, teamId: null };
}

describe(compareAlerts.name, () => {
  it('puts an unacknowledged SOS first, then escalated, then late incidents, uncovered, team alerts, due soon; unacknowledged, then the oldest', () => {
    const alerts = [
      alert('due', { kind: 'due_soon' }),
      alert('offline', { kind: 'team_offline', teamId: 'A', at: T - 10 }),
      alert('outside', { kind: 'team_outside', teamId: 'B', at: T - 20 }),
      alert('sos', { kind: 'sos', teamId: 'C' }),
      alert('acked', { state: 'acknowledged', at: T - 1000 }),
      alert('newer', { at: T + 5 }),
      alert('older', { at: T - 5 }),
      alert('escalated-due', { kind: 'due_soon', level: 2 }),
      alert('late', { kind: 'incident_late', incidentId: 'I1' }),
      alert('sos-acked', { kind: 'sos', teamId: 'D', state: 'acknowledged' }),
    ];
    expect(alerts.sort(compareAlerts).map((a) => a.id)).toEqual(['sos', 'escalated-due', 'sos-acked', 'late', 'older', 'newer', 'acked', 'outside', 'offline', 'due']);
  });
});

describe(panelAlerts.name, () => {
  it('keeps an SOS above 60 township coverage alerts: one line per township below the cards', () => {
    const coverage = Array.from({ length: 60 }, (_, i) =>
      alert(`c${i}`, { kind: i % 2 ? 'due_soon' : 'uncovered', locationId: null, townshipId: `T${String(Math.floor(i / 2)).padStart(2, '0')}`, at: T - i }),
    );
    const all = [...coverage, alert('sos', { kind: 'sos', teamId: 'C', locationId: null, at: T + 60_000 }), alert('esc', { locationId: null, townshipId: 'T99', level: 2 })].sort(compareAlerts);
    const { cards, townships } = panelAlerts(all);
    expect(cards.map((a) => a.id)).toEqual(['sos', 'esc']);
    expect(townships).toHaveLength(30);
    expect(townships[0]).toMatchObject({ uncovered: { kind: 'uncovered' }, dueSoon: { kind: 'due_soon' } });
    expect(new Set(townships.map((l) => l.townshipId)).size).toBe(30);
  });

  it('lists a township with uncovered locations before one only due soon', () => {
    const { townships } = panelAlerts(
      [alert('d', { kind: 'due_soon', locationId: null, townshipId: 'T1', at: T - 100 }), alert('u', { locationId: null, townshipId: 'T2' })].sort(compareAlerts),
    );
    expect(townships.map((l) => l.townshipId)).toEqual(['T2', 'T1']);
  });
});

describe(isNewer.name, () => {
  const acked = alert('1', { state: 'acknowledged', history: [{ event: 'raised', by: 'system', at: T, note: null }, { event: 'acknowledged', by: 'd', at: T + 60_000, note: null }] });

  it('never lets an older copy (a snapshot that lost the race) undo an acknowledgement', () => {
    expect(isNewer(alert('1'), acked)).toBe(false);
    expect(isNewer(acked, alert('1'))).toBe(true);
  });

  it('takes a later change at the same step (escalated, a team sent)', () => {
    const sent = { ...acked, sent: { teamId: 'A', by: 'd', at: T + 120_000, locationId: 'L1' }, history: [...acked.history, { event: 'sent' as const, by: 'd', at: T + 120_000, note: null }] };
    expect(isNewer(sent, acked)).toBe(true);
    expect(isNewer(acked, sent)).toBe(false);
  });
});

describe('who may act on an alert', () => {
  const organisationOf = (teamId: string) => ({ A: 'O-SC', B: 'O-PS' })[teamId];

  it('lets a dispatcher acknowledge and resolve anything, a leader nothing', () => {
    expect(canAcknowledge(user('dispatcher'), alert('1'), organisationOf)).toBe(true);
    expect(canResolve(user('dispatcher'), alert('1'))).toBe(true);
    expect(canAcknowledge(user('leader'), alert('1'), organisationOf)).toBe(false);
    expect(canResolve(user('leader'), alert('1'))).toBe(false);
  });

  it("lets a coordinator acknowledge its own teams' alerts only, and resolve none", () => {
    const coordinator = user('coordinator', 'O-SC');
    expect(canAcknowledge(coordinator, alert('1', { kind: 'team_offline', teamId: 'A' }), organisationOf)).toBe(true);
    expect(canAcknowledge(coordinator, alert('1', { kind: 'team_offline', teamId: 'B' }), organisationOf)).toBe(false);
    // A location's alert: the map cannot tell whether it is in the coordinator's township.
    expect(canAcknowledge(coordinator, alert('1'), organisationOf)).toBe(false);
    expect(canResolve(coordinator, alert('1'))).toBe(false);
  });

  it('lets a coordinator send only its own teams', () => {
    expect(canSend(user('dispatcher'), 'O-PS')).toBe(true);
    expect(canSend(user('coordinator', 'O-SC'), 'O-SC')).toBe(true);
    expect(canSend(user('coordinator', 'O-SC'), 'O-PS')).toBe(false);
    expect(canSend(user('leader'), 'O-SC')).toBe(false);
  });
});

describe('a late incident alert on a Chinese screen', () => {
  it("names the late step from the server's step field, so the card can say 接警 instead of English", () => {
    expect(lateStepOf(alert('1', { kind: 'incident_late', step: 'accept', note: 'late step: accept' }))).toBe('accept');
    expect(lateStepOf(alert('2', { kind: 'incident_late', step: 'dispatch' }))).toBe('dispatch');
    // The note is free text for people: nothing is read back from it.
    expect(lateStepOf(alert('3', { kind: 'incident_late', step: null, note: 'late step: arrive' }))).toBeNull();
    expect(lateStepOf(alert('4', { kind: 'sos', note: 'someone wrote this' }))).toBeNull();
  });
});

describe("a township's coverage alert", () => {
  const place = (id: string): KeyPlace => ({ id, name: `部位 ${id}`, lon: 118.7, lat: 34.1 });
  const at = (state: LocationCoverage['state'], deadline: number | null): LocationCoverage => ({ state, deadline, dueAt: deadline === null ? null : deadline - 600_000 });
  const places = ['L1', 'L2', 'L3', 'L4', 'L5'].map(place);
  const coverage = new Map<string, LocationCoverage>([
    ['L1', at('uncovered', T - 60_000)],
    ['L2', at('uncovered', T - 3_600_000)],
    ['L3', at('due_soon', T + 300_000)],
    ['L4', at('covered', T + 3_600_000)],
    ['L5', at('due_soon', T + 60_000)],
  ]);

  it('is told from a location alert by its missing location', () => {
    expect(isTownshipAlert(alert('1', { locationId: null, title: '沭城街道' }))).toBe(true);
    expect(isTownshipAlert(alert('2', { kind: 'due_soon', locationId: null }))).toBe(true);
    expect(isTownshipAlert(alert('3'))).toBe(false);
    expect(isTownshipAlert(alert('4', { kind: 'sos', locationId: null }))).toBe(false);
  });

  it("lists the township's uncovered locations most overdue first", () => {
    const { count, rows, more } = alertLocations('uncovered', places, coverage);
    expect(count).toBe(2);
    expect(rows.map((r) => r.id)).toEqual(['L2', 'L1']);
    expect(rows[0]).toMatchObject({ name: '部位 L2', deadline: T - 3_600_000 });
    expect(more).toBe(0);
  });

  it('lists only the locations due soon for a due-soon alert, the soonest first', () => {
    expect(alertLocations('due_soon', places, coverage).rows.map((r) => r.id)).toEqual(['L5', 'L3']);
  });

  it('counts all 300 uncovered locations of a township but lists the first 20 and how many more', () => {
    const many = Array.from({ length: 300 }, (_, i) => place(`M${i}`));
    const states = new Map(many.map((p, i) => [p.id, at('uncovered', T - i * 1000)]));
    const { count, rows, more } = alertLocations('uncovered', many, states);
    expect(count).toBe(300);
    expect(rows).toHaveLength(ALERT_LOCATIONS_LIMIT);
    expect(rows[0]?.id).toBe('M299');
    expect(more).toBe(300 - ALERT_LOCATIONS_LIMIT);
  });

  it('lists nothing once every location was visited (the server resolves the alert shortly after)', () => {
    const visited = new Map([...coverage].map(([id, c]) => [id, { ...c, state: 'covered' as const }]));
    expect(alertLocations('uncovered', places, visited)).toEqual({ count: 0, rows: [], more: 0 });
  });

  it('puts a location without a deadline last and leaves out one the live coverage does not know', () => {
    const states = new Map([
      ['L1', at('uncovered', null)],
      ['L2', at('uncovered', T)],
    ]);
    expect(alertLocations('uncovered', places, states).rows.map((r) => r.id)).toEqual(['L2', 'L1']);
  });

  it('looks at the most overdue location until the dispatcher picks another', () => {
    const locations = alertLocations('uncovered', places, coverage);
    expect(focusedLocation(locations, null)?.id).toBe('L2');
    expect(focusedLocation(locations, 'L1')?.id).toBe('L1');
  });

  it('goes back to the most overdue when the picked location is visited', () => {
    const visited = new Map(coverage).set('L1', at('covered', T + 3_600_000));
    expect(focusedLocation(alertLocations('uncovered', places, visited), 'L1')?.id).toBe('L2');
    expect(focusedLocation(alertLocations('uncovered', places, new Map()), 'L1')).toBeNull();
  });
});
