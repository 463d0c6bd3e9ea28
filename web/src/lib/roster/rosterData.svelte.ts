/**
 * The roster screen's data: teams (GET /api/roster/teams), organisations, townships, grids and key
 * locations by name, and one week's shifts (GET /api/assignments?from=&to=, scoped by the server
 * to what the user may see), plus the writes: create, edit, cancel, bulk.
 */
import type {
  Assignment,
  AssignmentsResponse,
  BulkAssignmentsResponse,
  GridsResponse,
  LocationsResponse,
  OrganisationsResponse,
  RosterResponse,
  RosterTeam,
  SessionUser,
  TownshipsResponse,
} from '@lianfang/server/api';
import { deleteJson, getJson, postJson, putJson } from '$lib/api';
import { addDays, dayStart } from './week';

export type { RosterTeam };

export interface Named {
  id: string;
  name: string;
}
export interface GridChoice extends Named {
  townshipId: string;
}
export interface LocationChoice extends Named {
  gridId: string | null;
  townshipId: string | null;
}
export interface OrganisationChoice extends Named {
  townshipId: string | null;
}

/** What a shift is sent as (create: also `id` and `teamId`). */
export interface ShiftFields {
  gridIds: string[];
  locationIds: string[];
  from: number;
  to: number;
  note?: string;
}

export interface BulkRequest {
  id: string;
  teamIds: string[];
  fromDay: string;
  toDay: string;
  shifts: { start: string; end: string }[];
  note?: string;
}

/** May `user` plan shifts for a team of `organisationId`? The server's rule. */
export function canPlan(user: SessionUser | null, organisationId: string): boolean {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'dispatcher') return true;
  return user.role === 'coordinator' && user.organisationId === organisationId;
}

/** A client id (letters, digits, '-') for a create or a bulk batch, kept for its retries. */
export function clientId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${[...bytes].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 20)}`;
}

export class RosterData {
  teams = $state.raw<RosterTeam[]>([]);
  organisations = $state.raw<Map<string, OrganisationChoice>>(new Map());
  townships = $state.raw<Map<string, Named>>(new Map());
  grids = $state.raw<Map<string, GridChoice>>(new Map());
  locations = $state.raw<Map<string, LocationChoice>>(new Map());
  status = $state<'loading' | 'ready' | 'failed'>('loading');

  /** The week shown: its Monday, its shifts, and the server's time when they were read. */
  monday = $state('');
  shifts = $state.raw<Assignment[]>([]);
  weekStatus = $state<'loading' | 'ready' | 'failed'>('loading');
  serverNow = $state(Date.now());
  #weekRequest = 0;
  /** A read of the week is on its way. */
  #reading = false;

  async load(): Promise<void> {
    try {
      const [roster, organisations, townships, grids, locations] = await Promise.all([
        getJson<RosterResponse>('/api/roster/teams'),
        getJson<OrganisationsResponse>('/api/organisations'),
        getJson<TownshipsResponse>('/api/geo/townships'),
        getJson<GridsResponse>('/api/geo/grids'),
        getJson<LocationsResponse>('/api/geo/locations'),
      ]);
      this.teams = [...roster.teams].sort((a, b) => a.callSign.localeCompare(b.callSign, 'zh-CN', { numeric: true }));
      this.organisations = new Map(organisations.organisations.map((o) => [o.id, { id: o.id, name: o.name, townshipId: o.townshipId }]));
      this.townships = new Map(
        townships.features.map((f) => [f.properties.id, { id: f.properties.id, name: f.properties.name }] as const).sort((a, b) => a[1].name.localeCompare(b[1].name, 'zh-CN')),
      );
      this.grids = new Map(
        grids.features
          .map((f) => ({ id: f.properties.id, name: f.properties.name, townshipId: f.properties.townshipId }))
          .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }))
          .map((g) => [g.id, g]),
      );
      this.locations = new Map(
        locations.features.map((f) => [f.properties.id, { id: f.properties.id, name: f.properties.name, gridId: f.properties.gridId ?? null, townshipId: f.properties.townshipId ?? null }]),
      );
      this.status = 'ready';
    } catch {
      this.status = 'failed';
    }
  }

  /** Reads the shifts of the week from `monday` (the latest request wins); `quiet` keeps the status while re-reading. */
  async loadWeek(monday: string, quiet = false): Promise<void> {
    const request = ++this.#weekRequest;
    this.monday = monday;
    if (!quiet) this.weekStatus = 'loading';
    this.#reading = true;
    try {
      const res = await getJson<AssignmentsResponse>(`/api/assignments?from=${dayStart(monday)}&to=${dayStart(addDays(monday, 7))}`);
      if (request !== this.#weekRequest) return;
      this.#reading = false;
      this.shifts = res.assignments;
      this.serverNow = res.at;
      this.weekStatus = 'ready';
    } catch {
      if (request === this.#weekRequest) {
        this.#reading = false;
        this.weekStatus = 'failed';
      }
    }
  }

  /**
   * After a change made here: a read of the week already on its way may have left before the
   * change was stored, and would put the old shift back when it lands. It is dropped, and the
   * week read again (what it was for, a change elsewhere, is in the new read too).
   */
  #changedHere(): void {
    if (!this.#reading) return;
    this.#weekRequest++;
    void this.reload();
  }

  /** Re-reads the week shown (after a change here or elsewhere). */
  async reload(): Promise<void> {
    if (this.monday) await this.loadWeek(this.monday, this.weekStatus === 'ready');
  }

  gridName = (id: string): string => this.grids.get(id)?.name ?? id;
  locationName = (id: string): string => this.locations.get(id)?.name ?? id;
  organisationName = (id: string): string => this.organisations.get(id)?.name ?? id;

  /** The team's shifts known here (this week's), for proposing a free slot. */
  shiftsOf(teamId: string): Assignment[] {
    return this.shifts.filter((a) => a.teamId === teamId);
  }

  #put(a: Assignment): void {
    this.shifts = [...this.shifts.filter((x) => x.id !== a.id), a].sort((x, y) => x.from - y.from);
  }

  async create(id: string, teamId: string, fields: ShiftFields): Promise<Assignment> {
    const a = await postJson<Assignment>('/api/assignments', { id, teamId, ...fields });
    this.#put(a);
    this.#changedHere();
    return a;
  }

  async edit(id: string, fields: ShiftFields): Promise<Assignment> {
    const a = await putJson<Assignment>(`/api/assignments/${encodeURIComponent(id)}`, fields);
    this.#put(a);
    this.#changedHere();
    return a;
  }

  async cancel(id: string): Promise<void> {
    await deleteJson<null>(`/api/assignments/${encodeURIComponent(id)}`);
    this.shifts = this.shifts.filter((x) => x.id !== id);
    this.#changedHere();
  }

  async bulk(request: BulkRequest): Promise<BulkAssignmentsResponse> {
    const res = await postJson<BulkAssignmentsResponse>('/api/assignments/bulk', request);
    await this.reload();
    return res;
  }
}
