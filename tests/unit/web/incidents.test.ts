import { describe, expect, it } from 'vitest';
import type { Assignment, IncidentView, SessionUser } from '@lianfang/server/api';
import {
  canAcknowledge,
  canDispatch,
  canEscalate,
  canReopen,
  canSendTeam,
  canStepForTeam,
  compareIncidents,
  isLate,
  isNewerIncident,
  lastDispatch,
  matchesFilter,
  matchesSearch,
  NO_FILTER,
  exportUrl,
  pulses,
} from '../../../web/src/lib/live/incidents.ts';
import { activeShifts } from '../../../web/src/lib/live/shifts.ts';

const T = 1_800_000_000_000;
const MIN = 60_000;

function incident(id: string, overrides: Partial<IncidentView> = {}): IncidentView {
  return {
    id,
    reference: 'SY7K3M9Q2X',
    category: 'help',
    severity: 1,
    state: 'new',
    source: 'dispatcher',
    lon: 118.77,
    lat: 34.12,
    gridId: 'G1',
    townshipId: 'T01',
    address: '幸福路 12 号',
    description: '老人摔倒，需要帮助',
    reporter: { name: '李女士', phone: '13912345678' },
    teamId: null,
    createdAt: T,
    updatedAt: T,
    acknowledged: null,
    due: { action: 'dispatch', at: T + 5 * MIN },
    disputeLevel: null,
    version: 1,
    history: [{ event: 'created', state: 'new', by: 'dispatcher', at: T, note: null }],
    ...overrides,
  };
}

function user(role: SessionUser['role'], organisationId: string | null = null): SessionUser {
  return { id: 'u', username: role, name: role, role, organisationId, teamId: null };
}

describe(isNewerIncident.name, () => {
  it('takes a copy with a higher version and keeps the held one against an older copy', () => {
    const held = incident('a', { version: 3, updatedAt: T + 3 });
    expect(isNewerIncident(incident('a', { version: 4, updatedAt: T + 4 }), held)).toBe(true);
    expect(isNewerIncident(incident('a', { version: 2, updatedAt: T + 9 }), held)).toBe(false);
    expect(isNewerIncident(incident('a', { version: 3, updatedAt: T + 3 }), held)).toBe(false);
    expect(isNewerIncident(held, undefined)).toBe(true);
  });
});

describe(compareIncidents.name, () => {
  it('lists the newest report first', () => {
    const list = [incident('old', { createdAt: T }), incident('new', { createdAt: T + MIN }), incident('mid', { createdAt: T + 1 })];
    expect(list.sort(compareIncidents).map((i) => i.id)).toEqual(['new', 'mid', 'old']);
  });
});

describe(isLate.name, () => {
  it('is late once the next step’s limit has passed, never once resolved or without a limit', () => {
    const i = incident('a');
    expect(isLate(i, T + 5 * MIN - 1)).toBe(false);
    expect(isLate(i, T + 5 * MIN)).toBe(true);
    expect(isLate(incident('a', { state: 'resolved' }), T + 60 * MIN)).toBe(false);
    expect(isLate(incident('a', { due: null }), T + 60 * MIN)).toBe(false);
  });
});

describe(pulses.name, () => {
  it('pulses while new and nobody acknowledged it', () => {
    expect(pulses(incident('a'))).toBe(true);
    expect(pulses(incident('a', { acknowledged: { by: 'd', at: T } }))).toBe(false);
    expect(pulses(incident('a', { state: 'dispatched' }))).toBe(false);
  });
});

describe(matchesFilter.name, () => {
  it('shows open incidents by default and filters by state, category, township and time', () => {
    const resolved = incident('r', { state: 'resolved' });
    expect(matchesFilter(incident('a'), NO_FILTER)).toBe(true);
    expect(matchesFilter(resolved, NO_FILTER)).toBe(false);
    expect(matchesFilter(resolved, { ...NO_FILTER, state: 'all' })).toBe(true);
    expect(matchesFilter(resolved, { ...NO_FILTER, state: 'resolved' })).toBe(true);
    expect(matchesFilter(incident('a'), { ...NO_FILTER, state: 'dispatched' })).toBe(false);
    expect(matchesFilter(incident('a'), { ...NO_FILTER, category: 'dispute' })).toBe(false);
    expect(matchesFilter(incident('a'), { ...NO_FILTER, townshipId: 'T02' })).toBe(false);
    expect(matchesFilter(incident('a'), { ...NO_FILTER, from: T + 1 })).toBe(false);
    expect(matchesFilter(incident('a'), { ...NO_FILTER, to: T })).toBe(false);
  });

  it('searches the reference (any case), the description and the address, every word', () => {
    expect(matchesSearch(incident('a'), 'sy7k3m')).toBe(true);
    expect(matchesSearch(incident('a'), '摔倒')).toBe(true);
    expect(matchesSearch(incident('a'), '幸福路 老人')).toBe(true);
    expect(matchesSearch(incident('a'), '幸福路 打架')).toBe(false);
    expect(matchesSearch(incident('a', { address: null }), '幸福路')).toBe(false);
  });
});

describe('who may act on an incident', () => {
  it('lets dispatchers, admins and coordinators acknowledge a new one, leaders never', () => {
    expect(canAcknowledge(user('dispatcher'), incident('a'))).toBe(true);
    expect(canAcknowledge(user('coordinator', 'O1'), incident('a'))).toBe(true);
    expect(canAcknowledge(user('leader'), incident('a'))).toBe(false);
    expect(canAcknowledge(user('dispatcher'), incident('a', { acknowledged: { by: 'x', at: T } }))).toBe(false);
  });

  it('offers dispatch while new, dispatched or escalated, and a coordinator only its own teams', () => {
    expect(canDispatch(user('dispatcher'), incident('a'))).toBe(true);
    expect(canDispatch(user('dispatcher'), incident('a', { state: 'accepted' }))).toBe(false);
    expect(canDispatch(user('leader'), incident('a'))).toBe(false);
    expect(canSendTeam(user('coordinator', 'O1'), 'O1')).toBe(true);
    expect(canSendTeam(user('coordinator', 'O1'), 'O2')).toBe(false);
    expect(canSendTeam(user('dispatcher'), 'O2')).toBe(true);
  });

  it('escalates what is being handled, a dispute only below the county centres; reopens only escalated ones', () => {
    expect(canEscalate(user('dispatcher'), incident('a', { state: 'on_scene' }))).toBe(true);
    expect(canEscalate(user('dispatcher'), incident('a', { state: 'resolved' }))).toBe(false);
    expect(canEscalate(user('dispatcher'), incident('a', { category: 'dispute', disputeLevel: 'county' }))).toBe(false);
    expect(canEscalate(user('leader'), incident('a'))).toBe(false);
    expect(canReopen(user('dispatcher'), incident('a', { state: 'escalated' }))).toBe(true);
    expect(canReopen(user('coordinator', 'O1'), incident('a', { state: 'escalated' }))).toBe(false);
    expect(canReopen(user('dispatcher'), incident('a'))).toBe(false);
  });

  it('lets the command centre step for a team only where the step is legal', () => {
    expect(canStepForTeam(user('dispatcher'), incident('a', { state: 'dispatched' }), 'accept')).toBe(true);
    expect(canStepForTeam(user('dispatcher'), incident('a', { state: 'dispatched' }), 'arrive')).toBe(false);
    expect(canStepForTeam(user('coordinator', 'O1'), incident('a', { state: 'dispatched' }), 'accept')).toBe(false);
  });
});

describe(lastDispatch.name, () => {
  it('names who sent which team last, for the loser of a dispatch race', () => {
    const i = incident('a', {
      state: 'dispatched',
      history: [
        { event: 'created', state: 'new', by: 'public', at: T, note: null },
        { event: 'dispatch', state: 'dispatched', by: 'wang', at: T + 1, note: null, teamId: 'TM001' },
        { event: 'dispatch', state: 'dispatched', by: 'zhao', at: T + 2, note: null, teamId: 'TM002' },
      ],
    });
    expect(lastDispatch(i)).toEqual({ by: 'zhao', teamId: 'TM002', at: T + 2 });
    expect(lastDispatch(incident('b'))).toBeNull();
  });
});

describe(activeShifts.name, () => {
  it('lists a team’s shifts in force now, the one ending first first', () => {
    const shift = (id: string, teamId: string, from: number, to: number): Assignment => ({ id, teamId, gridIds: ['G1'], locationIds: [], from, to, by: 'c', createdAt: 0 });
    const all = [shift('late', 'TM1', T - MIN, T + 60 * MIN), shift('early', 'TM1', T - MIN, T + 30 * MIN), shift('other', 'TM2', T - MIN, T + MIN), shift('past', 'TM1', T - 60 * MIN, T)];
    expect(activeShifts(all, 'TM1', T).map((a) => a.id)).toEqual(['early', 'late']);
  });
});

describe("the incident panel's export link", () => {
  it('asks the server for the same incidents the panel lists: open ones by default, then each filter set', () => {
    expect(exportUrl(NO_FILTER, 'xlsx', 'zh')).toBe('/api/incidents/export?format=xlsx&lang=zh&state=open');
    const url = new URL(exportUrl({ state: 'all', category: 'dispute', townshipId: 'T01', from: 1_800_000_000_000.4, to: null, q: ' 王庄 ' }, 'csv', 'en'), 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: 'csv', lang: 'en', category: 'dispute', townshipId: 'T01', from: '1800000000000', q: '王庄' });
  });
});
