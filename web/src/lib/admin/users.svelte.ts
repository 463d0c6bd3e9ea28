/**
 * The users an admin manages, with what the forms offer beside them: the teams (a patrol account
 * reports for one) and the organisations those teams belong to, and each user's last change as
 * the audit log records it (the user records themselves keep no time).
 */
import type { MeResponse, OrganisationsResponse, Role, TeamsResponse, UsersResponse } from '@lianfang/server/api';
import { send } from './request';
import type { AuditEntry } from './audit';

export type ManagedUser = UsersResponse['users'][number];

export interface NewUser {
  username: string;
  name: string;
  role: Role;
  organisationId: string | null;
  teamId: string | null;
  password: string;
}

export type UserChange = Partial<Pick<ManagedUser, 'name' | 'role' | 'organisationId' | 'teamId' | 'disabled'>> & { password?: string };

/** Roles whose accounts act for one organisation (the server refuses them without one). */
export const SCOPED_ROLES: readonly Role[] = ['coordinator', 'patrol'];

export interface TeamChoice {
  id: string;
  callSign: string;
  organisationId: string;
}

export class AdminUsers {
  users = $state.raw<ManagedUser[]>([]);
  teams = $state.raw<TeamChoice[]>([]);
  /** username → the time of its newest user_create or user_change entry. */
  lastChange = $state.raw<Map<string, number>>(new Map());
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  /** Organisation id → its name, for the list and the scope fields (ids where it could not be had). */
  organisationNames = $state.raw<Map<string, string>>(new Map());

  readonly organisations = $derived([...new Set(this.teams.map((team) => team.organisationId))].sort());

  async load(): Promise<void> {
    this.status = this.users.length ? 'ready' : 'loading';
    try {
      const [{ users }, { teams }] = await Promise.all([send<UsersResponse>('GET', '/api/admin/users'), send<TeamsResponse>('GET', '/api/teams')]);
      this.users = users;
      this.teams = teams.map(({ id, callSign, organisationId }) => ({ id, callSign, organisationId })).sort((a, b) => a.callSign.localeCompare(b.callSign, 'zh-CN'));
      this.status = 'ready';
    } catch {
      this.status = 'failed';
      return;
    }
    await Promise.all([this.loadLastChanges(), this.loadOrganisationNames()]);
  }

  /** Best effort: the list shows ids without it. */
  async loadOrganisationNames(): Promise<void> {
    try {
      const { organisations } = await send<OrganisationsResponse>('GET', '/api/organisations');
      this.organisationNames = new Map(organisations.map((o) => [o.id, o.name]));
    } catch {
      // Ids stay.
    }
  }

  organisationName = (id: string | null): string | null => (id ? (this.organisationNames.get(id) ?? id) : null);

  /** Best effort: the list shows without it. */
  async loadLastChanges(): Promise<void> {
    try {
      const pages = await Promise.all(
        (['user_create', 'user_change'] as const).map((action) => send<{ entries: AuditEntry[] }>('GET', `/api/admin/audit?action=${action}&limit=1000`)),
      );
      const latest = new Map<string, number>();
      for (const { entries } of pages) for (const entry of entries) latest.set(entry.target, Math.max(latest.get(entry.target) ?? 0, entry.at));
      this.lastChange = latest;
    } catch {
      // The column stays empty.
    }
  }

  teamName = (id: string | null): string | null => (id ? (this.teams.find((team) => team.id === id)?.callSign ?? id) : null);

  async create(user: NewUser): Promise<ManagedUser> {
    const { user: created } = await send<MeResponse>('POST', '/api/admin/users', user);
    const row = { ...created, disabled: false };
    this.users = [...this.users, row];
    this.#touched(row.username);
    return row;
  }

  async change(id: string, change: UserChange): Promise<ManagedUser> {
    const { user } = await send<MeResponse>('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, change);
    const before = this.users.find((u) => u.id === id);
    const row = { ...user, disabled: change.disabled ?? before?.disabled ?? false };
    this.users = this.users.map((u) => (u.id === id ? row : u));
    this.#touched(row.username);
    return row;
  }

  /** How many addresses the username was held at. */
  async clearLockout(id: string): Promise<number> {
    const { addresses } = await send<{ addresses: number }>('DELETE', `/api/admin/users/${encodeURIComponent(id)}/lockout`);
    return addresses;
  }

  #touched(username: string): void {
    this.lastChange = new Map(this.lastChange).set(username, Date.now());
  }
}

/** Case-insensitive match on username, name, organisation and team. */
export function matchesSearch(user: ManagedUser, query: string, teamName: (id: string | null) => string | null): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [user.username, user.name, user.organisationId, user.teamId, teamName(user.teamId)].some((field) => field?.toLowerCase().includes(q));
}
