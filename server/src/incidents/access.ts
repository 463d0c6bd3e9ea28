/**
 * Who may see and who may step an incident: patrols their own team's, coordinators their area
 * (their organisation's township and their own teams) plus what they reported, dispatchers and
 * admins everything; residents only report.
 */
import type { IncidentAction, Team } from '@lianfang/geo';
import type { SessionUser } from '../access/roles.ts';
import { createScope } from '../scope/rule.ts';
import type { GeographyReadModel } from '../geography/readModel.ts';
import type { AssignedTeams } from '../teams/assigned.ts';
import { HttpError } from '../plugins/errors.ts';
import type { StoredIncident } from './store.ts';

/** Who acts: a signed-in user, a patrol device acting for its team (or the simulator), a resident. */
export type IncidentActor = { kind: 'user'; user: SessionUser } | { kind: 'team'; teamId: string; name: string } | { kind: 'public'; ip: string };

export const actorName = (actor: IncidentActor): string => (actor.kind === 'user' ? actor.user.username : actor.kind === 'team' ? actor.name : 'public');

/** The team a patrol acts for (device, simulator or patrol account); undefined for others. */
export const actorTeam = (actor: IncidentActor): string | undefined =>
  actor.kind === 'team' ? actor.teamId : actor.kind === 'user' && actor.user.role === 'patrol' ? (actor.user.teamId ?? undefined) : undefined;

export function createIncidentAccess(deps: { roster: Pick<AssignedTeams, 'assigned'>; geography: Pick<GeographyReadModel, 'current'> }) {
  const { roster } = deps;
  const scope = createScope(deps);

  /** A team by id, re-reading the registry once for a team made a moment ago. */
  async function team(id: string): Promise<Team | undefined> {
    return (await roster.assigned()).get(id) ?? (await roster.assigned(true)).get(id);
  }

  /**
   * What a user may see, as a test to run on many incidents: the one scope rule (scope/rule.ts:
   * coordinators their organisation's township and their own teams, plus what they reported).
   */
  async function areaOf(user: SessionUser): Promise<(s: StoredIncident) => boolean> {
    const area = await scope.areaOf(user);
    return (s) => area(s);
  }

  async function inArea(user: SessionUser, s: StoredIncident): Promise<boolean> {
    if (user.role !== 'coordinator' && !(user as { townshipIds?: readonly string[] }).townshipIds) return true; // a township display is scoped too
    // A team made a moment ago may not be among the cached teams yet.
    if (s.teamId && !(await roster.assigned()).has(s.teamId)) await roster.assigned(true);
    return (await areaOf(user))(s);
  }

  /** May this user see the incident? 403 otherwise (404 first when it does not exist). */
  async function checkVisible(user: SessionUser, s: StoredIncident): Promise<void> {
    if (user.role === 'patrol') {
      if (!user.teamId || s.teamId !== user.teamId) throw new HttpError(403, `incident ${s.id} is not dispatched to your team`, 'params.id');
      return;
    }
    if (!(await inArea(user, s))) throw new HttpError(403, `incident ${s.id} is outside your area`, 'params.id');
  }

  /** Who may take which action; throws 403 naming why. */
  async function authorise(actor: IncidentActor, s: StoredIncident, action: IncidentAction | 'acknowledge'): Promise<void> {
    if (actor.kind === 'public') throw new HttpError(403, 'a resident may only report');
    const own = actorTeam(actor);
    if (own !== undefined) {
      if (action !== 'accept' && action !== 'arrive' && action !== 'resolve' && action !== 'escalate') throw new HttpError(403, `a patrol may not ${action} an incident`);
      // Passed up, it is no longer the team's to step, but a retry of its own escalation is answered.
      const retry = s.state === 'escalated' && action === 'escalate' && s.history[s.history.length - 1]?.event === 'escalate';
      if (s.teamId !== own || s.state === 'new' || (s.state === 'escalated' && !retry)) throw new HttpError(403, `incident ${s.id} is not dispatched to your team`, 'params.id');
      return;
    }
    if (actor.kind !== 'user') return;
    const { user } = actor;
    switch (user.role) {
      case 'admin':
      case 'dispatcher':
        return;
      case 'coordinator':
        if (action !== 'acknowledge' && action !== 'dispatch' && action !== 'escalate') throw new HttpError(403, `a coordinator may not ${action} an incident`);
        if (!(await inArea(user, s))) throw new HttpError(403, `incident ${s.id} is outside your area`, 'params.id');
        return;
      default:
        throw new HttpError(403, `a ${user.role} may not ${action} an incident`);
    }
  }

  return { team, areaOf, inArea, checkVisible, authorise };
}

export type IncidentAccess = ReturnType<typeof createIncidentAccess>;
