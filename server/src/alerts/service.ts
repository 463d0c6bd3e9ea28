/**
 * Alerts (告警): raised by the coverage scheduler, by team status and position, or by a patrol's
 * SOS; acknowledged (who, when, note), escalated to level 2 when nobody acknowledged them in
 * time, resolved automatically (a visit, the team back) or by hand with a reason. Every
 * transition runs as one Redis script (see alertScripts.ts) and is announced only after Redis answered.
 */
import type { Redis } from '../plugins/redis.ts';
import type { Keys } from '../keys.ts';
import type { SessionUser } from '../access/roles.ts';
import type { AlertKind, AlertLogEntry, AlertState, AlertView } from './schemas.ts';
import type { TeamStatus } from '../teams/schemas.ts';
import { HttpError } from '../plugins/errors.ts';
import { createTransitions, type ScriptResult, type StoredAlert, type TeamWhereabouts } from './alertScripts.ts';
import type { GeographyReadModel } from '../geography/readModel.ts';
import type { AssignedTeams } from '../teams/assigned.ts';
import { createScope } from '../scope/rule.ts';

export interface AlertsDeps {
  redis: Redis;
  keys: Keys;
  now: () => number;
  /** Places, from the one geography read model. */
  geography: Pick<GeographyReadModel, 'current' | 'cached'>;
  /** Teams as assigned now (shifts overlaid). */
  roster: Pick<AssignedTeams, 'assigned' | 'cachedAssigned'>;
  escalateAfterMs: number;
  /** Resolved alerts and log entries older than this are forgotten. */
  retentionMs: number;
  outsideGraceMs: number;
  /** A team on duty reporting less battery than this, percent, raises battery_low; 5 more resolves it. */
  batteryLowPercent: number;
  /** The county's time zone (the assessment report counts SOS, late steps and unread orders by its days). */
  timeZone?: string;
  /** Announces what a script did (already in Redis). */
  publish(result: ScriptResult): void;
}

export interface AlertFilter {
  state?: 'open' | 'resolved' | 'all';
  kind?: AlertKind;
  level?: 1 | 2;
  townshipId?: string;
  limit?: number;
}

const KIND_ORDER: Record<AlertKind, number> = { sos: 0, incident_late: 1, uncovered: 2, team_offline: 3, team_outside: 4, battery_low: 5, order_unread: 5, post_left: 4, due_soon: 6 };
const STATE_ORDER: Record<AlertState, number> = { raised: 0, acknowledged: 1, resolved: 2 };

/** Most urgent first: unacknowledged, escalated, SOS before late incidents before uncovered before team and unread-order alerts before due soon, oldest first. */
export function byUrgency(a: AlertView, b: AlertView): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    b.level - a.level ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    (a.state === 'resolved' ? (b.resolved?.at ?? 0) - (a.resolved?.at ?? 0) : a.at - b.at) ||
    Number(a.id) - Number(b.id)
  );
}

/** The lifecycle from the alert's own fields (each step happens once; 'sent' keeps the latest). */
function historyOf(a: StoredAlert): AlertView['history'] {
  const h: AlertView['history'] = [{ event: 'raised', by: 'system', at: a.raisedAt, note: a.note ?? null }];
  if (a.ack) h.push({ event: 'acknowledged', by: a.ack.by, at: a.ack.at, note: a.ack.note ?? null });
  if (a.escalatedAt !== undefined) h.push({ event: 'escalated', by: 'system', at: a.escalatedAt, note: null });
  if (a.sent) h.push({ event: 'sent', by: a.sent.by, at: a.sent.at, note: a.sent.teamId });
  if (a.resolved) h.push({ event: 'resolved', by: a.resolved.by, at: a.resolved.at, note: a.resolved.note ? `${a.resolved.reason}: ${a.resolved.note}` : a.resolved.reason });
  // Stable: equal times keep the lifecycle's order.
  return h.sort((x, y) => x.at - y.at);
}

export function createAlertsService(deps: AlertsDeps) {
  const { redis, keys, geography, roster } = deps;
  const transitions = createTransitions(deps);

  /** The alert as the map shows it, with names and area from the geography read model and the teams. */
  function toView(a: StoredAlert): AlertView {
    const places = geography.cached();
    const location = a.locationId ? places?.locations.get(a.locationId) : undefined;
    const team = a.teamId ? roster.cachedAssigned().get(a.teamId) : undefined;
    return {
      id: a.id,
      kind: a.kind as AlertKind,
      state: a.state as AlertState,
      level: a.level === 2 ? 2 : 1,
      locationId: a.locationId ?? null,
      teamId: a.teamId ?? null,
      incidentId: a.kind === 'incident_late' ? a.subject : null,
      step: a.kind === 'incident_late' ? ((a.step as AlertView['step'] | undefined) ?? null) : null,
      orderId: a.kind === 'order_unread' ? (a.orderId ?? null) : null,
      title: a.title ?? location?.name ?? team?.callSign ?? (a.townshipId ? places?.townships.get(a.townshipId)?.name : undefined) ?? a.subject,
      townshipId: a.townshipId ?? location?.townshipId ?? team?.townshipId ?? null,
      gridId: a.gridId ?? location?.gridId ?? null,
      at: a.at,
      raisedAt: a.raisedAt,
      deadline: a.deadline ?? null,
      lon: a.lon ?? location?.lon ?? null,
      lat: a.lat ?? location?.lat ?? null,
      note: a.note ?? null,
      acknowledged: a.ack ? { by: a.ack.by, at: a.ack.at, note: a.ack.note ?? null } : null,
      resolved: a.resolved ? { by: a.resolved.by, at: a.resolved.at, reason: a.resolved.reason, note: a.resolved.note ?? null } : null,
      escalatedAt: a.escalatedAt ?? null,
      sent: a.sent ? { teamId: a.sent.teamId, by: a.sent.by, at: a.sent.at, locationId: a.sent.locationId ?? null } : null,
      history: historyOf(a),
    };
  }

  async function views(ids: string[]): Promise<AlertView[]> {
    if (ids.length === 0) return [];
    await Promise.all([geography.current(), roster.assigned()]);
    const rows = await redis.hmGet(keys.alerts, ids);
    return rows.filter((r): r is string => typeof r === 'string').map((r) => toView(JSON.parse(r) as StoredAlert));
  }

  async function get(id: string): Promise<AlertView | undefined> {
    return (await views([id]))[0];
  }

  const scope = createScope({ geography, roster });

  /** May this user act on the alert? Coordinators only in their area (scope/rule.ts); every viewer reads them all. */
  async function checkArea(user: SessionUser, alert: AlertView): Promise<void> {
    if (!(await scope.areaOf(user))(alert)) throw new HttpError(403, `alert ${alert.id} is outside your area`, 'params.id');
  }

  return {
    /** Runs another domain's script that includes the alerts prelude (coverage), announcing its alerts. */
    run: transitions.run,
    toView,
    get,
    checkArea,

    /** Announces alerts (already in Redis) to the maps; used by publish. */
    views,

    async list(filter: AlertFilter = {}): Promise<AlertView[]> {
      const state = filter.state ?? 'open';
      const limit = filter.limit ?? 500;
      const ids: string[] = [];
      if (state !== 'resolved') ids.push(...(await redis.zRange(keys.alertsOpen, 0, -1)));
      if (state !== 'open') ids.push(...(await redis.zRange(keys.alertsClosed, 0, limit - 1, { REV: true })));
      let alerts = await views(ids);
      if (filter.kind) alerts = alerts.filter((a) => a.kind === filter.kind);
      if (filter.level) alerts = alerts.filter((a) => a.level === filter.level);
      if (filter.townshipId) alerts = alerts.filter((a) => a.townshipId === filter.townshipId);
      return alerts.sort(byUrgency).slice(0, limit);
    },

    /** Acknowledge: idempotent (a second call answers the alert unchanged); 409 once resolved. */
    async acknowledge(id: string, user: SessionUser, note: string | undefined): Promise<{ alert: AlertView; changed: boolean }> {
      const current = await get(id);
      if (!current) throw new HttpError(404, `no alert with id ${id}`, 'params.id');
      await checkArea(user, current);
      const r = await transitions.acknowledge(id, user.username, note ?? '', deps.now());
      if (!r.alert) throw new HttpError(404, `no alert with id ${id}`, 'params.id');
      const alert = toView(r.alert);
      if (r.status === 'resolved') throw new HttpError(409, `alert ${id} is already resolved`, 'params.id');
      return { alert, changed: r.status === 'ok' };
    },

    /** Resolve by hand with a reason: idempotent (a second call answers the alert unchanged). */
    async resolve(id: string, user: SessionUser, reason: string, note: string | undefined): Promise<{ alert: AlertView; changed: boolean }> {
      const current = await get(id);
      if (!current) throw new HttpError(404, `no alert with id ${id}`, 'params.id');
      await checkArea(user, current);
      const r = await transitions.resolve(id, user.username, reason, note ?? '', deps.now());
      if (!r.alert) throw new HttpError(404, `no alert with id ${id}`, 'params.id');
      return { alert: toView(r.alert), changed: r.status === 'ok' };
    },

    /** Raises an alert unless one of the kind is open for the subject (then answers that one). */
    async raise(kind: AlertKind, subject: string, fields: Partial<StoredAlert>, escalates: boolean, now = deps.now()): Promise<{ alert: AlertView | undefined; created: boolean }> {
      await Promise.all([geography.current(), roster.assigned()]);
      const r = await transitions.raise(kind, subject, fields, escalates, now);
      return { alert: r.alert ? toView(r.alert) : undefined, created: r.created };
    },

    /** Resolves the open alert of a kind for a subject, if any (an incident's late step done): true when one was. */
    async resolveSubject(kind: AlertKind, subject: string, reason: string, note?: string, now = deps.now()): Promise<boolean> {
      return transitions.resolveSubject(kind, subject, reason, note ?? '', now);
    },

    /** Subjects of the open alerts of a kind (every incident with an open late alert, say). */
    async openSubjects(kind: AlertKind): Promise<string[]> {
      const prefix = `${kind}:`;
      const out: string[] = [];
      for await (const batch of redis.hScanIterator(keys.alertSubjects, { MATCH: `${prefix}*`, COUNT: 1000 })) for (const { field } of batch) out.push(String(field).slice(prefix.length));
      return out;
    },

    /** The open alert of a kind for a subject, if any. */
    async openOf(kind: AlertKind, subject: string): Promise<AlertView | undefined> {
      const id = await redis.hGet(keys.alertSubjects, `${kind}:${subject}`);
      return id ? get(id) : undefined;
    },

    /** Escalates every alert not acknowledged in time, and forgets old resolved ones. */
    async escalate(now = deps.now()): Promise<number> {
      let count = 0;
      for (;;) {
        const r = await transitions.escalate(1000, Math.max(0, now - deps.retentionMs), now);
        count += r.escalated;
        if (!r.more) return count;
      }
    },

    /**
     * Team alerts: offline while on duty (from tracking's derived status), outside its assigned
     * grids for longer than the grace (from its latest position), its battery low while on duty
     * (the battery its phones last reported, on the position hash). Safe in every process at once.
     */
    async sweepTeams(now = deps.now()): Promise<ScriptResult> {
      const [places, teams] = await Promise.all([geography.current(), roster.assigned()]);
      const ids = [...teams.keys()];
      const [statuses, positions] = await Promise.all([
        ids.length ? redis.hmGet(keys.teamStatus, ids) : Promise.resolve([]),
        Promise.all(ids.map((id) => redis.hmGet(keys.teamPosition(id), ['lon', 'lat', 'time', 'batt']))),
      ]);
      const whereabouts: TeamWhereabouts[] = ids.map((id, i) => {
        const status = (statuses[i]?.split('\t')[0] ?? 'off_duty') as TeamStatus;
        const [lon, lat, time, batt] = positions[i] ?? [];
        const team = teams.get(id)!;
        let inside: TeamWhereabouts['inside'] = '-';
        if (status === 'on_patrol' && lon && lat && team.gridIds.length > 0) {
          const grid = places.gridIndex.gridAt(Number(lon), Number(lat));
          inside = grid && team.gridIds.includes(grid.id) ? '1' : '0';
        }
        return { teamId: id, inside, fixTime: time ?? now, battery: batt && Number.isFinite(Number(batt)) ? Number(batt) : '-' };
      });
      return transitions.sweepTeams(deps.outsideGraceMs, deps.batteryLowPercent, whereabouts, now);
    },

    /** Notes on the open coverage alerts of the location's township that a team was sent to it. */
    async markSent(locationId: string, teamId: string, by: string): Promise<ScriptResult> {
      const township = (await geography.current()).locations.get(locationId)?.townshipId ?? '';
      return transitions.markSent(township, teamId, by, locationId, deps.now());
    },

    /**
     * The record of every transition, newest first. Each script writes its transitions as one
     * stream entry (a tick may raise thousands at once); `before` pages by stream entry, so a
     * page may hold a few more than `limit` transitions.
     */
    async log(before: string | undefined, limit: number): Promise<{ entries: AlertLogEntry[]; before: string | null }> {
      const entries: AlertLogEntry[] = [];
      let end = before ? `(${before}` : '+';
      let next: string | null = null;
      while (entries.length < limit) {
        const rows = await redis.xRevRange(keys.alertLog, end, '-', { COUNT: 50 });
        for (const { id, message } of rows) {
          const lines = (message.entries ?? '').split('\n').filter(Boolean).reverse();
          for (const line of lines) {
            const [alertId = '', kind = '', subject = '', event = '', level = '1', state = '', by = '', note = '', at = '0'] = line.split('\t');
            entries.push({ id, alertId, kind: kind as AlertKind, subject, event: event as AlertLogEntry['event'], level: level === '2' ? 2 : 1, state: state as AlertState, by, note, at: Number(at) });
          }
          next = id;
          end = `(${id}`;
          if (entries.length >= limit) break;
        }
        if (rows.length < 50) {
          if (entries.length < limit) next = null;
          break;
        }
      }
      return { entries, before: next };
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
