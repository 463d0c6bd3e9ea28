/**
 * Incidents (事件/警情): created by dispatchers, patrols and residents, stepped through
 * new → dispatched → accepted → on scene → resolved (or escalated) by the rules in geo
 * (transitions.ts), each write one atomic script (store.ts), announced only after Redis
 * answered. Who may see and step which incident is access.ts; late steps and their alerts are
 * lateSteps.ts. Other code (routes, sockets, the simulator) calls this service, never the store.
 */
import { defaultSeverity, dueStep, pointInPolygon, type Grid, type IncidentAction, type IncidentSource, type MediationRoom } from '@lianfang/geo';
import type { FastifyBaseLogger } from 'fastify';
import type { SessionUser } from '../access/roles.ts';
import type { AlertsService } from '../alerts/service.ts';
import type { GeographyReadModel } from '../geography/readModel.ts';
import type { AssignedTeams } from '../teams/assigned.ts';
import { HttpError } from '../plugins/errors.ts';
import { bboxOf } from '../geography/shapes.ts';
import type { CreateIncidentRequest, IncidentView } from './schemas.ts';
import type { IncidentStore, StoredIncident } from './store.ts';
import { actorName, actorTeam, createIncidentAccess, type IncidentActor } from './access.ts';
import { nextState, type StepBody } from './transitions.ts';
import { createLateSteps } from './lateSteps.ts';
import { normaliseReference, newReference } from './reference.ts';

export type { IncidentActor, StepBody };

export interface IncidentFilter {
  state?: IncidentView['state'];
  category?: IncidentView['category'];
  townshipId?: string;
  from?: number;
  to?: number;
  /** Matches the reference, id, address, description or reporter (case-insensitive). */
  q?: string;
  limit?: number;
  /** Only what this user may see (coordinators: their area). */
  viewer?: SessionUser;
}

export interface IncidentsDeps {
  store: IncidentStore;
  /** Places, from the one geography read model. */
  geography: Pick<GeographyReadModel, 'current' | 'cached'>;
  /** Teams as assigned now (shifts overlaid). */
  roster: Pick<AssignedTeams, 'assigned' | 'cachedAssigned'>;
  alerts: AlertsService;
  now: () => number;
  log: FastifyBaseLogger;
  retentionMs: number;
  /** Re-derives a team's status after its responding flag changed (tracking's status sweep). */
  teamChanged(teamId: string): Promise<void>;
  /** Finds a mediation room (a dispute's resolve or escalate step names the room that mediated). */
  mediationRoom?: (id: string) => Promise<MediationRoom | undefined>;
  /** Announces an incident already in Redis; `teams`: rooms of the teams it concerns; `createdBy`: who reported it (they see it wherever it is). */
  publish(incident: IncidentView, teams: string[], createdBy: string): void;
}

/** What clients see: the stored incident without the server's bookkeeping. */
export function toView(s: StoredIncident): IncidentView {
  const { clientKey: _c, createdBy: _b, lastDispatch: _d, ...view } = s;
  return view;
}

/** A point inside the grid for a help request sent without one: the middle of its box if inside, else a vertex. */
function pointOfGrid(grid: Grid): [number, number] {
  const [w, s, e, n] = bboxOf(grid.geometry);
  const centre: [number, number] = [(w + e) / 2, (s + n) / 2];
  if (pointInPolygon(centre, grid.geometry)) return centre;
  const [x, y] = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0]![0]! : grid.geometry.coordinates[0]![0]![0]!;
  return [x!, y!];
}

export function createIncidentsService(deps: IncidentsDeps) {
  const { store, geography, roster } = deps;
  const access = createIncidentAccess({ roster, geography });
  const { areaOf, inArea, checkVisible } = access;
  const late = createLateSteps({ store, alerts: deps.alerts, log: deps.log, retentionMs: deps.retentionMs });

  async function load(id: string): Promise<StoredIncident> {
    const s = await store.get(id);
    if (!s) throw new HttpError(404, `no incident with id ${id}`, 'params.id');
    return s;
  }

  async function afterWrite(before: StoredIncident | undefined, after: StoredIncident, teams: string[]): Promise<IncidentView> {
    const view = toView(after);
    const rooms = new Set<string>(teams);
    if (after.teamId) rooms.add(after.teamId);
    if (before?.teamId) rooms.add(before.teamId);
    deps.publish(view, [...rooms], after.createdBy);
    for (const t of teams) await deps.teamChanged(t).catch((err: Error) => deps.log.warn({ err: err.message, team: t }, 'incidents: team status not re-derived'));
    if (before) await late.settle(before, after);
    return view;
  }

  const service = {
    toView,
    checkVisible,
    inArea,
    areaOf,

    async get(id: string): Promise<IncidentView | undefined> {
      const s = await store.get(id);
      return s ? toView(s) : undefined;
    },

    /** The stored incident, 404 naming the id when unknown. */
    load,

    async byReference(reference: string): Promise<IncidentView | undefined> {
      const id = await store.idForReference(normaliseReference(reference));
      return id ? service.get(id) : undefined;
    },

    /**
     * Records a new incident (201) or answers the one the same client id made (a retry).
     * `gridId`: the public form's grid, which wins over the point's.
     */
    async create(input: CreateIncidentRequest, actor: IncidentActor, source: IncidentSource, options: { gridId?: string } = {}): Promise<{ incident: IncidentView; created: boolean }> {
      const now = deps.now();
      const places = await geography.current();
      let grid: Grid | undefined;
      let lon = input.lon;
      let lat = input.lat;
      if (options.gridId) {
        grid = places.grids.get(options.gridId);
        if (!grid) throw new HttpError(404, `body.gridId names no grid: ${options.gridId}`, 'body.gridId');
        if (!Number.isFinite(lon) || !Number.isFinite(lat) || !pointInPolygon([lon, lat], grid.geometry)) [lon, lat] = pointOfGrid(grid);
      } else {
        if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw new HttpError(400, 'lon must be a number from -180 to 180', 'lon');
        if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new HttpError(400, 'lat must be a number from -90 to 90', 'lat');
        grid = places.gridIndex.gridAt(lon, lat);
      }
      const own = actorTeam(actor);
      const scope = actor.kind === 'public' ? 'p' : own ? `t:${own}` : `u:${actor.kind === 'user' ? actor.user.id : ''}`;
      const by = actorName(actor);
      const category = input.category;
      const draft: Omit<StoredIncident, 'id' | 'reference'> = {
        category,
        severity: input.severity ?? defaultSeverity(category),
        state: 'new',
        source,
        lon,
        lat,
        gridId: grid?.id ?? null,
        townshipId: grid?.townshipId ?? null,
        address: input.address?.trim() || null,
        description: input.description.trim(),
        reporter: input.reporterName?.trim() || input.reporterPhone?.trim() ? { name: input.reporterName?.trim() || null, phone: input.reporterPhone?.trim() || null } : null,
        teamId: null,
        createdAt: now,
        updatedAt: now,
        acknowledged: null,
        due: null,
        disputeLevel: category === 'dispute' ? 'village' : null,
        version: 1,
        history: [{ event: 'created', state: 'new', by, at: now, note: null, ...(category === 'dispute' ? { level: 'village' as const } : {}) }],
        clientKey: `${scope}:${input.id}`,
        createdBy: by,
        lastDispatch: null,
      };
      draft.due = dueStep(draft);
      for (let attempt = 0; attempt < 5; attempt++) {
        const r = await store.create({ ...draft, reference: newReference() });
        if (r.status === 'ref_taken') continue;
        if (r.status === 'exists') return { incident: toView(r.incident), created: false };
        return { incident: await afterWrite(undefined, r.incident, []), created: true };
      }
      throw new Error('could not find a free reference number');
    },

    /**
     * One step of the lifecycle (or an acknowledgement). A repeat answers `changed: false`;
     * an illegal step 409 with the reason; a dispatch based on an old version 409 naming who won.
     */
    async step(id: string, action: IncidentAction | 'acknowledge', actor: IncidentActor, body: StepBody = {}): Promise<{ incident: IncidentView; changed: boolean }> {
      for (let attempt = 0; attempt < 10; attempt++) {
        const s = await load(id);
        await access.authorise(actor, s, action);
        const now = deps.now();
        const n = await nextState(s, action, actor, body, now, access.team, deps.mediationRoom);
        if (n === 'same') return { incident: toView(s), changed: false };
        const r = await store.write(now, s, n);
        if (r.status === 'missing') throw new HttpError(404, `no incident with id ${id}`, 'params.id');
        if (r.status === 'conflict') continue; // changed meanwhile: decide again on what is there now
        return { incident: await afterWrite(s, r.incident, r.teams), changed: true };
      }
      throw new HttpError(409, `incident ${id} is changing too fast, retry`, 'params.id');
    },

    /** Newest first, filtered; coordinators see only their area. */
    async list(filter: IncidentFilter = {}): Promise<IncidentView[]> {
      const limit = filter.limit ?? 200;
      const q = filter.q?.trim().toLowerCase();
      const out: IncidentView[] = [];
      const area = filter.viewer ? await areaOf(filter.viewer) : () => true;
      const keep = (s: StoredIncident): boolean => {
        if (filter.state && s.state !== filter.state) return false;
        if (filter.category && s.category !== filter.category) return false;
        if (filter.townshipId && s.townshipId !== filter.townshipId) return false;
        if (q && ![s.reference, s.id, s.address ?? '', s.description, s.reporter?.name ?? '', s.reporter?.phone ?? ''].some((f) => f.toLowerCase().includes(q))) return false;
        return area(s);
      };
      const newestFirst = (a: StoredIncident, b: StoredIncident) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id);
      if (filter.state && filter.state !== 'resolved' && filter.from === undefined && filter.to === undefined) {
        // Open states: the open set is small, no need to walk the history.
        for (const s of (await store.getMany(await store.openIds())).sort(newestFirst)) {
          if (keep(s)) out.push(toView(s));
          if (out.length >= limit) break;
        }
        return out;
      }
      const from = filter.from ?? 0;
      const to = filter.to ?? Number.MAX_SAFE_INTEGER;
      for (let offset = 0; out.length < limit && offset < 50_000; offset += 500) {
        const ids = await store.idsByTime(from, to, offset, 500);
        for (const s of await store.getMany(ids)) {
          if (keep(s)) out.push(toView(s));
          if (out.length >= limit) break;
        }
        if (ids.length < 500) break;
      }
      return out;
    },

    /** Every incident created in [from, to) (for statistics), oldest first. */
    async createdBetween(from: number, to: number): Promise<StoredIncident[]> {
      const out: StoredIncident[] = [];
      for (let offset = 0; ; offset += 1000) {
        const ids = await store.idsByTime(from, to, offset, 1000);
        out.push(...(await store.getMany(ids)));
        if (ids.length < 1000) break;
      }
      return out.sort((a, b) => a.createdAt - b.createdAt);
    },

    /** The open incidents dispatched to a team (dispatched, accepted, on scene), oldest first. */
    async openForTeam(teamId: string): Promise<IncidentView[]> {
      const rows = await store.getMany(await store.teamIds(teamId));
      return rows.sort((a, b) => a.createdAt - b.createdAt).map(toView);
    },

    /**
     * Raises an `incident_late` alert for every incident whose next step is overdue (at most
     * one open per incident), and forgets incidents resolved longer ago than the retention.
     * Safe in every process at once. Answers how many were raised.
     */
    async sweep(now = deps.now()): Promise<number> {
      return late.sweep(now);
    },
  };
  return service;
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
