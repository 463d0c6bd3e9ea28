/**
 * The team screen's data: every team (call sign, organisation, grids, members where the user may
 * see them, status), the organisations by name and the county's grids by name, and the two
 * changes a manager makes (a new team, a team's call sign, grids or members).
 */
import type { GridsResponse, OrganisationsResponse, RosterResponse, RosterTeam, SessionUser, TeamChangedResponse } from '@lianfang/server/api';
import { getJson, patchJson, postJson } from '$lib/api';

export type { RosterTeam };
export type TeamMember = NonNullable<RosterTeam['members']>[number];
export type MemberRole = TeamMember['role'];
export type Agency = RosterTeam['agency'];

export const MEMBER_ROLES = ['police_officer', 'security_guard', 'grid_worker', 'volunteer', 'joint_defence'] as const satisfies readonly MemberRole[];

export interface GridChoice {
  id: string;
  name: string;
  townshipName: string;
}

export interface OrganisationChoice {
  id: string;
  name: string;
  townshipId: string | null;
}

/** What a new team is sent as: `id` made by this page once per form, so a retry is not a second team. */
export interface NewTeam {
  id: string;
  callSign: string;
  agency: Agency;
  organisationId: string;
  gridIds: string[];
  members: TeamMember[];
}

export type TeamChange = Partial<Pick<NewTeam, 'callSign' | 'gridIds' | 'members'>>;

/** May `user` change teams of `organisationId`? The server's rule (admins and dispatchers any; coordinators their own). */
export function canManage(user: SessionUser | null, organisationId: string): boolean {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'dispatcher') return true;
  return user.role === 'coordinator' && user.organisationId === organisationId;
}

/** Whether the user may create teams at all. */
export function mayCreate(user: SessionUser | null): boolean {
  return user !== null && (user.role === 'admin' || user.role === 'dispatcher' || (user.role === 'coordinator' && user.organisationId !== null));
}

/** A fresh client id for a new team (letters, digits, '-'), kept for the form's retries. */
export function newTeamId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return 'T-' + [...bytes].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 12);
}

export class Roster {
  teams = $state.raw<RosterTeam[]>([]);
  organisations = $state.raw<Map<string, OrganisationChoice>>(new Map());
  grids = $state.raw<Map<string, GridChoice>>(new Map());
  status = $state<'loading' | 'ready' | 'failed'>('loading');

  async load(): Promise<void> {
    try {
      const [roster, organisations, grids] = await Promise.all([
        getJson<RosterResponse>('/api/roster/teams'),
        getJson<OrganisationsResponse>('/api/organisations'),
        getJson<GridsResponse>('/api/geo/grids'),
      ]);
      this.teams = roster.teams;
      this.organisations = new Map(organisations.organisations.map((o) => [o.id, { id: o.id, name: o.name, townshipId: o.townshipId }]));
      this.grids = new Map(
        grids.features
          .map((f) => ({ id: f.properties.id, name: f.properties.name, townshipName: f.properties.townshipName }))
          .sort((a, b) => a.townshipName.localeCompare(b.townshipName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN', { numeric: true }))
          .map((g) => [g.id, g]),
      );
      this.status = 'ready';
    } catch {
      this.status = 'failed';
    }
  }

  organisationName(id: string): string {
    return this.organisations.get(id)?.name ?? id;
  }

  /** Sends a new team; on success it is in the list. Throws the request's error (word it with problemText). */
  async create(team: NewTeam): Promise<RosterTeam> {
    const { team: saved } = await postJson<TeamChangedResponse>('/api/teams', team);
    return this.#put(saved);
  }

  async change(id: string, change: TeamChange): Promise<RosterTeam> {
    const { team: saved } = await patchJson<TeamChangedResponse>(`/api/teams/${encodeURIComponent(id)}`, change);
    return this.#put(saved);
  }

  #put(saved: TeamChangedResponse['team']): RosterTeam {
    const before = this.teams.find((x) => x.id === saved.id);
    const row: RosterTeam = {
      id: saved.id,
      callSign: saved.callSign,
      agency: saved.agency,
      organisationId: saved.organisationId,
      townshipId: saved.townshipId ?? null,
      gridIds: saved.gridIds,
      memberCount: saved.members.length,
      members: saved.members,
      status: before?.status ?? 'off_duty',
    };
    this.teams = before ? this.teams.map((x) => (x.id === saved.id ? row : x)) : [...this.teams, row];
    return row;
  }
}
