/**
 * Incidents (事件/警情): created by dispatchers, patrols and residents, stepped through
 * new → dispatched → accepted → on scene → resolved (or escalated) by the rules in geo, each
 * write one atomic script (store.ts), announced only after Redis answered. Late steps raise an
 * `incident_late` alert, resolved when the incident moves on. Other code (routes, sockets, the
 * simulator) calls this service, never the store.
 */
import { randomBytes } from 'node:crypto';
import {
  checkTransition,
  defaultSeverity,
  dueStep,
  INCIDENT_TRANSITIONS,
  nextDisputeLevel,
  pointInPolygon,
  type Grid,
  type IncidentAction,
  type IncidentSource,
  type IncidentStep,
  type Team,
} from '@lianfang/geo';
import type { FastifyBaseLogger } from 'fastify';
import type { SessionUser } from '../access/roles.ts';
import { canManageOrganisation } from '../access/roles.ts';
import type { AlertsService } from '../alerts/service.ts';
import type { Directory } from '../alerts/directory.ts';
import { HttpError } from '../plugins/errors.ts';
import { bboxOf } from '../geography/shapes.ts';
import type { CreateIncidentRequest, IncidentView } from './api.ts';
import type { IncidentStore, StoredIncident } from './store.ts';

/** Who acts: a signed-in user, a patrol device acting for its team (or the simulator), a resident. */
export type IncidentActor = { kind: 'user'; user: SessionUser } | { kind: 'team'; teamId: string; name: string } | { kind: 'public'; ip: string };

export type StepBody = { teamId?: string; version?: number; note?: string; reason?: string };

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
  directory: Directory;
  alerts: AlertsService;
  now: () => number;
  log: FastifyBaseLogger;
  retentionMs: number;
  /** Re-derives a team's status after its responding flag changed (tracking's status sweep). */
  teamChanged(teamId: string): Promise<void>;
  /** Announces an incident already in Redis; `teams`: rooms of the teams it concerns. */
  publish(incident: IncidentView, teams: string[]): void;
}

/** Crockford base32: no I L O U, so a reference read over the phone is not mistaken. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 10;

/** 10 Crockford base32 characters from the system's random source (50 bits). */
export function newReference(): string {
  const bytes = randomBytes(REFERENCE_LENGTH);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out;
}

/** A reference as typed by a resident: case, spaces and dashes ignored, O read as 0, I and L as 1. */
export function normaliseReference(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

const actorName = (actor: IncidentActor): string => (actor.kind === 'user' ? actor.user.username : actor.kind === 'team' ? actor.name : 'public');
/** The team a patrol acts for (device, simulator or patrol account); undefined for others. */
const actorTeam = (actor: IncidentActor): string | undefined => (actor.kind === 'team' ? actor.teamId : actor.kind === 'user' && actor.user.role === 'patrol' ? (actor.user.teamId ?? undefined) : undefined);

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

/** How often the sweep looks for late alerts left open by a process that died mid-step (app-clock ms). */
const RECONCILE_MS = 30_000;

export function createIncidentsService(deps: IncidentsDeps) {
  const { store, directory } = deps;
  let lastReconcile = -Infinity;

  /** Resolves late alerts whose incident moved on (or is gone) but whose resolve never ran. */
  async function reconcileLateAlerts(now: number): Promise<void> {
    const ids = await deps.alerts.openSubjects('incident_late');
    if (ids.length === 0) return;
    const byId = new Map((await store.getMany(ids)).map((s) => [s.id, s]));
    for (const id of ids) {
      const s = byId.get(id);
      if (s?.due && s.due.at <= now) {
        const open = await deps.alerts.openOf('incident_late', id);
        if (!open || open.deadline === s.due.at) continue;
      }
      await deps.alerts.resolveSubject('incident_late', id, s ? 'step_done' : 'incident_gone', undefined, now);
    }
  }

  async function team(id: string): Promise<Team | undefined> {
    return (await directory.teams()).get(id) ?? (await directory.teams(true)).get(id);
  }

  /**
   * What a user may see, as a test to run on many incidents: the area alerts use (coordinators
   * their organisation's township and their own teams) plus what they reported themselves.
   */
  async function areaOf(user: SessionUser): Promise<(s: StoredIncident) => boolean> {
    const area = await deps.alerts.areaOf(user);
    return (s) => area(s) || s.createdBy === user.username;
  }

  async function inArea(user: SessionUser, s: StoredIncident): Promise<boolean> {
    if (user.role !== 'coordinator') return true;
    // A team made a moment ago may not be in the cached directory yet.
    if (s.teamId && !(await directory.teams()).has(s.teamId)) await directory.teams(true);
    return (await areaOf(user))(s);
  }

  async function load(id: string): Promise<StoredIncident> {
    const s = await store.get(id);
    if (!s) throw new HttpError(404, `no incident with id ${id}`, 'params.id');
    return s;
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

  /** Resolves the incident's late alert when its next step changed; never fails the step. */
  async function settleLateAlert(before: StoredIncident, after: StoredIncident): Promise<void> {
    if (before.due?.action === after.due?.action && before.due?.at === after.due?.at) return;
    try {
      await deps.alerts.resolveSubject('incident_late', after.id, 'step_done', before.due ? `${before.due.action} done` : undefined);
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, incident: after.id }, 'incidents: late alert not resolved yet; the sweep will');
    }
  }

  async function afterWrite(before: StoredIncident | undefined, after: StoredIncident, teams: string[]): Promise<IncidentView> {
    const view = toView(after);
    const rooms = new Set<string>(teams);
    if (after.teamId) rooms.add(after.teamId);
    if (before?.teamId) rooms.add(before.teamId);
    deps.publish(view, [...rooms]);
    for (const t of teams) await deps.teamChanged(t).catch((err: Error) => deps.log.warn({ err: err.message, team: t }, 'incidents: team status not re-derived'));
    if (before) await settleLateAlert(before, after);
    return view;
  }

  /** The next state of `s` after `action`, or 'same' for a repeat of what was just done. */
  async function apply(s: StoredIncident, action: IncidentAction | 'acknowledge', actor: IncidentActor, body: StepBody, now: number): Promise<StoredIncident | 'same'> {
    const by = actorName(actor);
    const note = body.note?.trim() || null;
    const step = (event: IncidentStep['event'], state: IncidentStep['state'], extra: Partial<IncidentStep> = {}): IncidentStep => ({ event, state, by, at: now, note, ...extra });
    const next = (changes: Partial<StoredIncident>, history: IncidentStep): StoredIncident => {
      const n: StoredIncident = { ...s, ...changes, version: s.version + 1, updatedAt: now, history: [...s.history, history] };
      n.due = dueStep(n);
      return n;
    };
    const last = s.history[s.history.length - 1];

    if (action === 'acknowledge') {
      if (s.acknowledged) return 'same';
      return next({ acknowledged: { by, at: now } }, step('acknowledged', s.state));
    }

    if (action === 'dispatch') {
      if (!body.teamId) throw new HttpError(400, 'body.teamId is required', 'body.teamId');
      if (body.version === undefined) throw new HttpError(400, 'body.version is required: the version of the incident you saw', 'body.version');
      const target = await team(body.teamId);
      if (!target) throw new HttpError(404, `no team with id ${body.teamId}`, 'body.teamId');
      if (actor.kind === 'user' && !canManageOrganisation(actor.user, target.organisationId)) throw new HttpError(403, `team ${target.callSign} is not one of your organisation's`, 'body.teamId');
      const d = s.lastDispatch;
      if (s.state === 'dispatched' && s.teamId === body.teamId && d && d.by === by && d.version === body.version) return 'same';
      if (body.version !== s.version) {
        if (d && s.teamId && (s.state === 'dispatched' || s.state === 'accepted' || s.state === 'on_scene')) {
          const winner = (await team(s.teamId))?.callSign ?? s.teamId;
          throw new HttpError(409, `already dispatched to ${winner} by ${d.by}`, 'body.version');
        }
        throw new HttpError(409, `incident ${s.id} changed since you saw it (version ${body.version}, now ${s.version}): reload it`, 'body.version');
      }
      const check = checkTransition(s.state, 'dispatch');
      if (!check.ok) throw new HttpError(409, check.reason);
      return next({ state: 'dispatched', teamId: target.id, lastDispatch: { by, version: body.version, teamId: target.id } }, step('dispatch', 'dispatched', { teamId: target.id, note: note ?? target.callSign }));
    }

    // A repeat of the step just taken (a retry, a double tap) changes nothing.
    const to = INCIDENT_TRANSITIONS[action].to;
    if (s.state === to && last?.event === action) return 'same';
    const check = checkTransition(s.state, action);
    if (!check.ok) throw new HttpError(409, check.reason);

    switch (action) {
      case 'escalate': {
        const reason = body.reason?.trim();
        if (!reason) throw new HttpError(400, 'body.reason is required: why it is passed up', 'body.reason');
        if (s.category === 'dispute') {
          const level = nextDisputeLevel(s.disputeLevel ?? 'village');
          if (!level) throw new HttpError(409, `cannot escalate a dispute at county level (三中心): it is the top of the mediation ladder`);
          return next({ state: 'escalated', disputeLevel: level }, step('escalate', 'escalated', { note: reason, level, teamId: s.teamId }));
        }
        return next({ state: 'escalated' }, step('escalate', 'escalated', { note: reason, teamId: s.teamId }));
      }
      case 'reopen':
        return next({ state: 'new', teamId: null }, step('reopen', 'new'));
      case 'resolve':
        return next({ state: 'resolved' }, step('resolve', 'resolved', { teamId: s.teamId, ...(s.disputeLevel ? { level: s.disputeLevel } : {}) }));
      default:
        return next({ state: check.to }, step(action, check.to, { teamId: s.teamId }));
    }
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
      const places = await directory.places();
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
        await authorise(actor, s, action);
        const now = deps.now();
        const n = await apply(s, action, actor, body, now);
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
     * Safe in every process at once: raising is idempotent per incident. Answers how many were raised.
     */
    async sweep(now = deps.now()): Promise<number> {
      let raised = 0;
      for (;;) {
        const due = await store.dueBy(now, 200);
        for (const { id, at } of due) {
          const s = await store.get(id);
          if (s?.due && s.due.at <= now && s.state !== 'resolved') {
            const open = await deps.alerts.openOf('incident_late', id);
            // An alert left open for an earlier step (a process died before resolving it).
            if (open && open.deadline !== s.due.at) await deps.alerts.resolveSubject('incident_late', id, 'step_done', undefined, now);
            const fields = {
              lon: s.lon,
              lat: s.lat,
              at: s.due.at,
              deadline: s.due.at,
              note: `late step: ${s.due.action}`,
              title: (s.address ?? s.description).slice(0, 40),
              townshipId: s.townshipId ?? undefined,
              gridId: s.gridId ?? undefined,
              teamId: s.teamId ?? undefined,
            };
            const r = await deps.alerts.raise('incident_late', id, fields, true, now);
            if (r.created) raised++;
          }
          await store.dropDue(id, at);
        }
        if (due.length < 200) break;
      }
      if (now - lastReconcile >= RECONCILE_MS || now < lastReconcile) {
        lastReconcile = now;
        await reconcileLateAlerts(now);
      }
      await store.forget(now - deps.retentionMs);
      return raised;
    },
  };
  return service;
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
