import { describe, expect, it } from 'vitest';
import type { AlertView, SessionUser } from '@lianfang/server/api';
import { canAcknowledge, canResolve, canSend, compareAlerts, isNewer, lateStepOf } from '../../../web/src/lib/live/alerts.ts';

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
  it('puts escalated first, then uncovered, SOS, team alerts, due soon, then unacknowledged, then the oldest', () => {
    const alerts = [
      alert('due', { kind: 'due_soon' }),
      alert('offline', { kind: 'team_offline', teamId: 'A', at: T - 10 }),
      alert('outside', { kind: 'team_outside', teamId: 'B', at: T - 20 }),
      alert('sos', { kind: 'sos', teamId: 'C' }),
      alert('acked', { state: 'acknowledged', at: T - 1000 }),
      alert('newer', { at: T + 5 }),
      alert('older', { at: T - 5 }),
      alert('escalated-due', { kind: 'due_soon', level: 2 }),
    ];
    expect(alerts.sort(compareAlerts).map((a) => a.id)).toEqual(['escalated-due', 'older', 'newer', 'acked', 'sos', 'outside', 'offline', 'due']);
  });
});

describe(isNewer.name, () => {
  const acked = alert('1', { state: 'acknowledged', history: [{ event: 'raised', by: 'system', at: T, note: null }, { event: 'acknowledged', by: 'd', at: T + 60_000, note: null }] });

  it('never lets an older copy (a snapshot that lost the race) undo an acknowledgement', () => {
    expect(isNewer(alert('1'), acked)).toBe(false);
    expect(isNewer(acked, alert('1'))).toBe(true);
  });

  it('takes a later change at the same step (escalated, a team sent)', () => {
    const sent = { ...acked, sent: { teamId: 'A', by: 'd', at: T + 120_000 }, history: [...acked.history, { event: 'sent' as const, by: 'd', at: T + 120_000, note: null }] };
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
  it("names the late step from the server's note, so the card can say 接警 instead of English", () => {
    expect(lateStepOf('late step: accept')).toBe('accept');
    expect(lateStepOf('late step: dispatch')).toBe('dispatch');
    expect(lateStepOf('someone wrote this')).toBeNull();
    expect(lateStepOf(null)).toBeNull();
  });
});
