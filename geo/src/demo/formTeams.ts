/**
 * Patrol teams (巡逻队) for the demo county: police-led, security-company, grid, volunteer and
 * joint teams, each assigned a few neighbouring grids of one township. Grid teams are staffed by
 * the very grid workers of their grids, so names and phone numbers agree across the data.
 */
import type { Random } from '../createRandom.ts';
import type { Agency, Contact, Grid, MemberRole, Team, TeamMember, Township } from '../types.ts';
import { apportion } from './apportion.ts';
import type { OrganisationDirectory } from './listOrganisations.ts';
import { shortName } from './names.ts';

const AGENCY_WEIGHTS: ReadonlyArray<readonly [Agency, number]> = [
  ['police', 0.2],
  ['security', 0.25],
  ['grid', 0.28],
  ['volunteer', 0.15],
  ['joint', 0.12],
];
const TEAM_SIZE: Record<Agency, readonly [number, number]> = {
  police: [4, 7],
  security: [5, 9],
  grid: [4, 8],
  volunteer: [6, 12],
  joint: [6, 10],
};

/**
 * Forms `teamCount` teams with ids TM001…, spread over townships by their number of grids.
 * `gridNeighbours[g]` lists the grids sharing a boundary with grid g (indices into `grids`).
 *
 * @example
 * const teams = formTeams(random, { teamCount: 300, townships, grids, gridNeighbours, villageIndexOfGrid, directory, person });
 */
export function formTeams(
  random: Random,
  options: {
    teamCount: number;
    townships: readonly Township[];
    grids: readonly Grid[];
    gridNeighbours: ReadonlyArray<ReadonlyArray<number>>;
    villageIndexOfGrid: readonly number[];
    directory: OrganisationDirectory;
    person: () => Contact;
  },
): Team[] {
  const { teamCount, townships, grids, gridNeighbours, villageIndexOfGrid, directory, person } = options;
  const townshipIndex = new Map(townships.map((t, i) => [t.id, i]));
  const gridsOf: number[][] = townships.map(() => []);
  grids.forEach((g, i) => gridsOf[townshipIndex.get(g.townshipId)!]!.push(i));
  const perTownship = apportion(teamCount, gridsOf.map((list) => list.length), { min: 3 });
  const assigned = new Uint8Array(grids.length);
  const teams: Team[] = [];

  townships.forEach((township, t) => {
    const short = shortName(township.name);
    const own = gridsOf[t]!;
    for (let n = 0; n < perTownship[t]!; n++) {
      const agency = pickAgency(random);
      // Start from a grid nobody patrols yet, then take neighbours in the same township.
      const free = own.filter((g) => !assigned[g]);
      const start = random.pick(free.length > 0 ? free : own);
      const wanted = random.int(1, 6);
      const chosen = [start];
      const seen = new Set(chosen);
      for (let i = 0; i < chosen.length && chosen.length < wanted; i++) {
        for (const next of gridNeighbours[chosen[i]!]!) {
          if (seen.has(next) || grids[next]!.townshipId !== township.id) continue;
          seen.add(next);
          chosen.push(next);
          if (chosen.length === wanted) break;
        }
      }
      chosen.sort((a, b) => a - b);
      for (const g of chosen) assigned[g] = 1;

      const size = random.int(...TEAM_SIZE[agency]);
      const securityCompany = random.pick(directory.securityCompanies);
      const villageCommittee = directory.villageCommittee[villageIndexOfGrid[chosen[0]!]!]!;
      const orgOf: Record<MemberRole, string | undefined> = {
        police_officer: directory.policeStation[t],
        security_guard: securityCompany,
        grid_worker: villageCommittee,
        volunteer: directory.volunteerTeam[t],
        joint_defence: undefined,
      };
      const roles = rolesFor(agency, size, random);
      // Grid teams are the grids' own workers first.
      const gridWorkers = agency === 'grid' || agency === 'joint' ? chosen.flatMap((g) => grids[g]!.workers) : [];
      const members: TeamMember[] = roles.map((role) => {
        const contact = role === 'grid_worker' && gridWorkers.length > 0 ? gridWorkers.shift()! : person();
        const member: TeamMember = { name: contact.name, phone: contact.phone, role };
        const organisationId = orgOf[role];
        if (organisationId) member.organisationId = organisationId;
        return member;
      });
      teams.push({
        id: 'TM' + String(teams.length + 1).padStart(3, '0'),
        callSign: `${short}巡${String(n + 1).padStart(2, '0')}`,
        agency,
        organisationId: {
          police: directory.policeStation[t]!,
          security: securityCompany,
          grid: villageCommittee,
          volunteer: directory.volunteerTeam[t]!,
          joint: directory.policeStation[t]!,
        }[agency],
        townshipId: township.id,
        members,
        gridIds: chosen.map((g) => grids[g]!.id),
      });
    }
  });
  return teams;
}

function pickAgency(random: Random): Agency {
  let r = random.next();
  for (const [agency, weight] of AGENCY_WEIGHTS) {
    if (r < weight) return agency;
    r -= weight;
  }
  return 'joint';
}

function rolesFor(agency: Agency, size: number, random: Random): MemberRole[] {
  const roles: MemberRole[] = [];
  const fill = (role: MemberRole, count: number) => {
    for (let i = 0; i < count && roles.length < size; i++) roles.push(role);
  };
  switch (agency) {
    case 'police':
      fill('police_officer', random.int(1, 2));
      fill('security_guard', size);
      break;
    case 'security':
      fill('security_guard', size);
      break;
    case 'grid':
      fill('grid_worker', random.int(2, 4));
      fill('volunteer', size);
      break;
    case 'volunteer':
      fill('volunteer', size);
      break;
    case 'joint':
      fill('police_officer', 1);
      fill('security_guard', 2);
      fill('grid_worker', random.int(1, 2));
      fill('joint_defence', 1);
      fill('volunteer', size);
      break;
  }
  return roles;
}
