/** Shared set-up for report tests. */
import type { Team } from '@lianfang/geo';
import { smallCounty } from '../../fixtures/small-county.ts';

/** The small county with three teams, each patrolling one grid with one key location. */
export function threeTeamCounty() {
  const county = smallCounty();
  const [one, two] = county.teams as [Team, Team];
  one.gridIds = ['G-A1']; // L-1: visited on time
  two.gridIds = ['G-B2']; // L-3: never visited
  const three: Team = { id: 'team-3', callSign: '城东03', agency: 'grid', organisationId: 'O-PS', townshipId: 'T-A', members: [{ name: '王芳', phone: '13911110003', role: 'grid_worker' }], gridIds: ['G-A2'] }; // L-2: visited late
  county.teams.push(three);
  return county;
}
