import { describe, expect, it } from 'vitest';
import type { Organisation } from '@lianfang/geo';
import { areaOfUser, isInArea, placedCheckIn, placedTeam, roomsOfArea, roomsOfPlaced } from '../../../../server/src/scope/rule.ts';
import type { SessionUser } from '../../../../server/src/access/roles.ts';

const places = {
  organisations: new Map<string, Organisation>([
    ['O-PS', { id: 'O-PS', name: '沭城派出所', kind: 'police_station', townshipId: 'T-A' }],
    ['O-SC', { id: 'O-SC', name: '金盾保安公司', kind: 'security_company' }],
  ]),
  locations: new Map([
    ['L-1', { townshipId: 'T-A' }],
    ['L-3', { townshipId: 'T-B' }],
  ]),
};
const teams = new Map([
  ['team-1', { id: 'team-1', organisationId: 'O-PS', townshipId: 'T-A' }],
  ['team-2', { id: 'team-2', organisationId: 'O-SC', townshipId: 'T-B' }],
  ['team-3', { id: 'team-3', organisationId: 'O-OTHER', townshipId: 'T-B' }],
]);
const user = (role: SessionUser['role'], organisationId: string | null = null, teamId: string | null = null): SessionUser =>
  ({ id: '1', username: `${role}-${organisationId ?? 'x'}`, name: role, role, organisationId, teamId }) as SessionUser;

const station = areaOfUser(user('coordinator', 'O-PS'), places);
const company = areaOfUser(user('coordinator', 'O-SC'), places);

describe('scope: who sees what', () => {
  it('lets admins, dispatchers and leaders see the whole county', () => {
    for (const role of ['admin', 'dispatcher', 'leader'] as const) {
      expect(isInArea(areaOfUser(user(role), places), { townshipId: 'T-B', teamId: 'team-3' }, teams)).toBe(true);
      expect(roomsOfArea(areaOfUser(user(role), places))).toEqual(['scope:county']);
    }
  });

  it("lets a coordinator see their organisation's township and teams, and what they reported, nothing else", () => {
    expect(isInArea(station, { townshipId: 'T-A', teamId: null }, teams)).toBe(true);
    expect(isInArea(station, { townshipId: 'T-B', teamId: 'team-1' }, teams)).toBe(true);
    expect(isInArea(station, { townshipId: 'T-B', teamId: 'team-2' }, teams)).toBe(false);
    expect(isInArea(station, { townshipId: 'T-B', teamId: null, createdBy: 'coordinator-O-PS' }, teams)).toBe(true);
    // An organisation without a township: only its own teams.
    expect(isInArea(company, { townshipId: 'T-B', teamId: null }, teams)).toBe(false);
    expect(isInArea(company, { townshipId: 'T-A', teamId: 'team-2' }, teams)).toBe(true);
  });

  it('lets a patrol see its own team only', () => {
    const patrol = areaOfUser(user('patrol', 'O-SC', 'team-2'), places);
    expect(isInArea(patrol, { townshipId: 'T-B', teamId: 'team-2' }, teams)).toBe(true);
    expect(isInArea(patrol, { townshipId: 'T-B', teamId: 'team-3' }, teams)).toBe(false);
  });

  it("counts a team as in the area by its township or its organisation (whose track a coordinator may read)", () => {
    expect(isInArea(station, placedTeam(teams.get('team-1')!), teams)).toBe(true);
    expect(isInArea(company, placedTeam(teams.get('team-2')!), teams)).toBe(true);
    expect(isInArea(station, placedTeam(teams.get('team-3')!), teams)).toBe(false);
    expect(isInArea(areaOfUser(user('coordinator', 'O-TB-TOWN'), { organisations: new Map([['O-TB-TOWN', { id: 'O-TB-TOWN', name: '胡集镇', kind: 'township_office', townshipId: 'T-B' }]]) }), placedTeam(teams.get('team-3')!), teams)).toBe(true);
  });

  it("counts a check-in as in the area by its location's township or by its team", () => {
    expect(isInArea(station, placedCheckIn({ teamId: 'team-3', locationId: 'L-1' }, places, teams), teams)).toBe(true);
    expect(isInArea(company, placedCheckIn({ teamId: 'team-2', locationId: 'L-1' }, places, teams), teams)).toBe(true);
    expect(isInArea(station, placedCheckIn({ teamId: 'team-3', locationId: 'L-3' }, places, teams), teams)).toBe(false);
  });
});

describe('scope: live rooms', () => {
  it("joins a coordinator to their reporter, township and organisation rooms", () => {
    expect(roomsOfArea(station).sort()).toEqual(['scope:org:O-PS', 'scope:reporter:coordinator-O-PS', 'scope:township:T-A']);
    expect(roomsOfArea(company).sort()).toEqual(['scope:org:O-SC', 'scope:reporter:coordinator-O-SC']);
  });

  it('sends an item to the county and to the rooms of exactly the areas that hold it', () => {
    expect(roomsOfPlaced({ townshipId: 'T-B', teamId: 'team-2', createdBy: 'dispatcher-x' }, teams)).toEqual(['scope:county', 'scope:org:O-SC', 'scope:reporter:dispatcher-x', 'scope:township:T-B']);
    expect(roomsOfPlaced(placedCheckIn({ teamId: 'team-1', locationId: 'L-3' }, places, teams), teams)).toEqual(['scope:county', 'scope:org:O-PS', 'scope:township:T-A', 'scope:township:T-B']);
    expect(roomsOfPlaced({ townshipId: null, teamId: null }, teams)).toEqual(['scope:county']);
  });

  it('agrees with the area rule: a coordinator is in one of an item\'s rooms exactly when the item is in their area', () => {
    const things = [
      { townshipId: 'T-A', teamId: null },
      { townshipId: 'T-B', teamId: 'team-1' },
      { townshipId: 'T-B', teamId: 'team-2' },
      { townshipId: 'T-B', teamId: 'team-3', createdBy: 'coordinator-O-SC' },
      { townshipId: null, teamId: 'team-3' },
    ];
    for (const area of [station, company]) {
      for (const thing of things) {
        const hears = roomsOfPlaced(thing, teams).some((r) => roomsOfArea(area).includes(r));
        expect(hears, JSON.stringify({ area, thing })).toBe(isInArea(area, thing, teams));
      }
    }
  });
});
