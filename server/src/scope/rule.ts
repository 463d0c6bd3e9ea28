/**
 * The one scope rule (管辖范围): which part of the county a user sees of team tracks, check-ins
 * and incidents (and may act on of alerts), and the live rooms that carry each such item to
 * exactly those allowed to see it. The shared county map (latest positions, team status,
 * coverage, alerts, assignments) is not scoped: joint patrols must see who is where now.
 *
 * admin, dispatcher, leader: the whole county. coordinator: their organisation's township and
 * their organisation's teams, plus the incidents they reported. patrol: their own team.
 */
import type { Team } from '@lianfang/geo';
import type { GeographyReadModel } from '../geography/readModel.ts';
import type { AssignedTeams } from '../teams/assigned.ts';
import { ROOMS, organisationRoom, reporterRoom, townshipRoom } from '../events.ts';

/**
 * Who asks: a signed-in user as the access layer gives it (a SessionUser), named by its shape
 * here because access registers before the geography and the teams this rule reads.
 */
export interface Viewer {
  username: string;
  role: string;
  organisationId: string | null;
  teamId: string | null;
  /** A wall display scoped to some townships (displays/): it sees what a coordinator of each would, by township. */
  townshipIds?: readonly string[];
}

/** Something in the county, by where it is and which team it concerns (either may be unknown), and who reported it. */
export interface Placed {
  townshipId?: string | null;
  teamId?: string | null;
  /** Username of who reported it (incidents): a coordinator sees what they reported wherever it is. */
  createdBy?: string | null;
}

/** A user's area, resolved against the geography. */
export type Area =
  | { kind: 'county' }
  | { kind: 'team'; teamId: string | null }
  | { kind: 'townships'; townshipIds: ReadonlySet<string> }
  | { kind: 'organisation'; organisationId: string | null; townshipId: string | null; username: string };

type TeamOrganisations = ReadonlyMap<string, Pick<Team, 'organisationId'>>;

/** The area of a user: a coordinator's township is their organisation's. */
export function areaOfUser(user: Viewer, places: { organisations: ReadonlyMap<string, { townshipId?: string }> } | undefined): Area {
  if (user.townshipIds) return { kind: 'townships', townshipIds: new Set(user.townshipIds) };
  switch (user.role) {
    case 'coordinator': {
      const townshipId = (user.organisationId ? places?.organisations.get(user.organisationId)?.townshipId : undefined) ?? null;
      return { kind: 'organisation', organisationId: user.organisationId, townshipId, username: user.username };
    }
    case 'patrol':
      return { kind: 'team', teamId: user.teamId };
    default:
      return { kind: 'county' };
  }
}

/** Is the thing (any one of the things) in the area? `teams` says which organisation a team belongs to. */
export function isInArea(area: Area, things: Placed | readonly Placed[], teams: TeamOrganisations): boolean {
  const list: readonly Placed[] = Array.isArray(things) ? things : [things as Placed];
  switch (area.kind) {
    case 'county':
      return true;
    case 'team':
      return area.teamId !== null && list.some((t) => t.teamId === area.teamId);
    case 'townships':
      return list.some((t) => typeof t.townshipId === 'string' && area.townshipIds.has(t.townshipId));
    case 'organisation':
      return list.some((t) => {
        if (area.townshipId !== null && t.townshipId === area.townshipId) return true;
        if (t.createdBy && t.createdBy === area.username) return true;
        const team = t.teamId ? teams.get(t.teamId) : undefined;
        return team !== undefined && area.organisationId !== null && team.organisationId === area.organisationId;
      });
  }
}

/** The scope rooms a user's sockets join (the main namespace): the live counterpart of {@link isInArea}. */
export function roomsOfArea(area: Area): string[] {
  switch (area.kind) {
    case 'county':
      return [ROOMS.county];
    case 'team':
      return []; // a patrol hears its own team through the team's room
    case 'townships':
      return [...area.townshipIds].map(townshipRoom);
    case 'organisation': {
      const rooms = [reporterRoom(area.username)];
      if (area.townshipId !== null) rooms.push(townshipRoom(area.townshipId));
      if (area.organisationId !== null) rooms.push(organisationRoom(area.organisationId));
      return rooms;
    }
  }
}

/** The scope rooms an item goes to: those of every area that holds it, sorted (a stable key for grouping). */
export function roomsOfPlaced(things: Placed | readonly Placed[], teams: TeamOrganisations): string[] {
  const list: readonly Placed[] = Array.isArray(things) ? things : [things as Placed];
  const rooms = new Set<string>([ROOMS.county]);
  for (const t of list) {
    if (t.townshipId) rooms.add(townshipRoom(t.townshipId));
    const organisationId = t.teamId ? teams.get(t.teamId)?.organisationId : undefined;
    if (organisationId) rooms.add(organisationRoom(organisationId));
    if (t.createdBy) rooms.add(reporterRoom(t.createdBy));
  }
  return [...rooms].sort();
}

/** A team is in an area by its township or its organisation. */
export const placedTeam = (team: Pick<Team, 'id' | 'townshipId'>): Placed => ({ townshipId: team.townshipId ?? null, teamId: team.id });

/** A check-in is in an area by its location's township, or by its team (township or organisation). */
export function placedCheckIn(
  c: { teamId: string; locationId: string },
  places: { locations: ReadonlyMap<string, { townshipId?: string }> } | undefined,
  teams: ReadonlyMap<string, Pick<Team, 'townshipId'>>,
): Placed[] {
  return [
    { townshipId: places?.locations.get(c.locationId)?.townshipId ?? null, teamId: c.teamId },
    { townshipId: teams.get(c.teamId)?.townshipId ?? null, teamId: c.teamId },
  ];
}

export interface ScopeDeps {
  geography: Pick<GeographyReadModel, 'current'>;
  roster: Pick<AssignedTeams, 'assigned'>;
}

/** Sees the whole county: an admin, a dispatcher, a leader, a county display. */
const isCountyWide = (user: Viewer) => user.role !== 'coordinator' && user.role !== 'patrol' && !user.townshipIds;

/** The rule bound to the geography and the teams, for routes and services. */
export function createScope(deps: ScopeDeps) {
  const { geography, roster } = deps;
  return {
    /** The user's area as a test to run on many things; county-wide users read nothing. */
    async areaOf(user: Viewer): Promise<(things: Placed | readonly Placed[]) => boolean> {
      if (isCountyWide(user)) return () => true;
      const [places, teams] = await Promise.all([geography.current(), roster.assigned()]);
      const area = areaOfUser(user, places);
      return (things) => isInArea(area, things, teams);
    },

    /** May the user see this team's history (its track, its check-ins)? By the team's township or organisation. */
    async seesTeam(user: Viewer, team: Pick<Team, 'id' | 'townshipId' | 'organisationId'>): Promise<boolean> {
      if (isCountyWide(user)) return true;
      const area = areaOfUser(user, user.role === 'coordinator' ? await geography.current() : undefined);
      // The team itself says its organisation: one made a moment ago need not be among the loaded teams.
      return isInArea(area, placedTeam(team), new Map([[team.id, team]]));
    },

    /** May the user see a check-in (by its location's township or its team)? One test for a list of them. */
    async checkInsOf(user: Viewer): Promise<(c: { teamId: string; locationId: string }) => boolean> {
      if (isCountyWide(user)) return () => true;
      const [places, teams] = await Promise.all([geography.current(), roster.assigned()]);
      const area = areaOfUser(user, places);
      return (c) => isInArea(area, placedCheckIn(c, places, teams), teams);
    },

    /** The scope rooms of a user's sockets. */
    async roomsOf(user: Viewer): Promise<string[]> {
      return roomsOfArea(areaOfUser(user, user.role === 'coordinator' ? await geography.current() : undefined));
    },
  };
}

export type Scope = ReturnType<typeof createScope>;
