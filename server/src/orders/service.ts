/**
 * Orders (指令) without HTTP: resolve recipients (within the sender's scope), store once per
 * client id, record receipts (received, read, arrived) each once, and the periodic check that
 * raises an alert for each team that has not read an order in time (指令未读, resolved when it
 * reads it) and marks go-to orders arrived. Everything lives in Redis, so any process answers any
 * phone; the alert is raised once per team and order (the alert scripts keep one open per
 * subject), and the periodic check claims each item with ZREM, so two processes never announce
 * one twice, and a process stopped halfway leaves the item for the next check.
 */
import type { FastifyInstance } from 'fastify';
import { distanceMetres } from '@lianfang/geo';
import type { CheckIn } from '../checkins/schemas.ts';
import { loadScript } from '../redis/script.ts';
import { canManageOrganisation } from '../access/roles.ts';
import type { SessionUser } from '../access/schemas.ts';
import { HttpError } from '../plugins/errors.ts';
import { FIGURES, Tally, teamSubject } from '../reports/tally.ts';
import type { OrderView, PatrolOrder, Receipt, SendOrderBody, StoredOrder } from './schemas.ts';
import { waitForReplica } from '../redis/replicaWait.ts';

const SEND = loadScript(new URL('./lua/send.lua', import.meta.url));

/** A go-to order completes when the team's latest fix is this close, metres. */
export const ARRIVAL_RADIUS_M = 100;
const ON_DUTY = new Set(['on_patrol', 'responding']);
type Step = 'recv' | 'read' | 'arr';

/** The order as one recipient team's phone sees it: its own receipt only. */
export function forTeam(v: OrderView, teamId: string): PatrolOrder {
  const r = v.receipts.find((x) => x.teamId === teamId);
  return { id: v.id, text: v.text, lon: v.lon, lat: v.lat, by: v.by, byName: v.byName, at: v.at, receivedAt: r?.receivedAt ?? null, readAt: r?.readAt ?? null, arrivedAt: r?.arrivedAt ?? null };
}

/** The subject of a team's order_unread alert. */
export const unreadSubject = (teamId: string, orderId: string) => `${teamId}/${orderId}`;

const sameRequest = (o: StoredOrder, b: SendOrderBody) =>
  o.text === b.text && (o.lon ?? null) === (b.lon ?? null) && (o.lat ?? null) === (b.lat ?? null) && JSON.stringify(o.to) === JSON.stringify(b.to);

export interface OrdersService {
  send(body: SendOrderBody, user: SessionUser): Promise<{ order: OrderView; created: boolean }>;
  get(id: string): Promise<StoredOrder | undefined>;
  list(teamId: string | undefined, limit: number): Promise<OrderView[]>;
  view(order: StoredOrder): Promise<OrderView>;
  /** The team's orders still open on its phones: unread, or go-to and not arrived (last 24 h). */
  openForTeam(teamId: string): Promise<PatrolOrder[]>;
  /** Records the team's receipt (stored before it resolves); 404 when the order is not the team's. */
  mark(orderId: string, teamId: string, step: Step): Promise<PatrolOrder>;
  /** Raises alerts for overdue unread orders and marks arrivals; returns how many it changed. */
  tick(): Promise<number>;
  /**
   * Go-to orders completed by check-ins: a check-in (after the order) at a key location within
   * its reach (radius, at least 100 m) of the order's place is arrival. Returns how many.
   */
  arriveByCheckIns(checkIns: Pick<CheckIn, 'teamId' | 'locationId' | 'time'>[]): Promise<number>;
}

export function createOrdersService(app: FastifyInstance, announce: (order: OrderView, teamId?: string) => void): OrdersService {
  const { redis, keys } = app;
  const unreadMs = () => app.config.orderUnreadAlertMin * 60_000;
  const ordersTally = (teamIds: string[], at: number) => {
    const t = new Tally(app.config.timeZone);
    for (const id of teamIds) t.add(at, teamSubject(id), FIGURES.orders);
    return t.spec();
  };

  async function recipients(to: SendOrderBody['to'], user: SessionUser): Promise<string[]> {
    const teams = await app.teams.assigned(true);
    const given = [to.teamIds !== undefined, to.townshipId !== undefined, to.onDuty === true].filter(Boolean).length;
    if (given === 0) throw new HttpError(400, 'body.to names no recipients: give teamIds, townshipId or onDuty', 'body.to', { code: 'required' });
    const inScope = (organisationId: string) => canManageOrganisation(user, organisationId);
    if (to.teamIds) {
      const ids = [...new Set(to.teamIds)];
      for (const id of ids) {
        const team = teams.get(id);
        if (!team) throw new HttpError(400, `body.to.teamIds names an unknown team ${id}`, 'body.to.teamIds', { code: 'unknown_team', params: { team: id } });
        if (!inScope(team.organisationId)) throw new HttpError(403, `team ${id} belongs to another organisation`, 'body.to.teamIds', { code: 'team_out_of_scope', params: { team: id } });
      }
      return ids;
    }
    let pool = [...teams.values()].filter((t) => inScope(t.organisationId));
    if (to.townshipId !== undefined) {
      if (!(await redis.hExists(keys.townships, to.townshipId))) throw new HttpError(400, `body.to.townshipId names an unknown township ${to.townshipId}`, 'body.to.townshipId', { code: 'unknown_township' });
      pool = pool.filter((t) => t.townshipId === to.townshipId);
      if (pool.length === 0) throw new HttpError(400, 'the township has no teams you may send to', 'body.to.townshipId', { code: 'no_recipients' });
      return pool.map((t) => t.id);
    }
    const statuses = pool.length ? await redis.hmGet(keys.teamStatus, pool.map((t) => t.id)) : [];
    const onDuty = pool.filter((_, i) => ON_DUTY.has((statuses[i] ?? '').split('\t')[0] ?? ''));
    if (onDuty.length === 0) throw new HttpError(400, 'no team you may send to is on duty', 'body.to.onDuty', { code: 'no_recipients' });
    return onDuty.map((t) => t.id);
  }

  async function get(id: string): Promise<StoredOrder | undefined> {
    const json = await redis.hGet(keys.orders, id);
    return json ? (JSON.parse(json) as StoredOrder) : undefined;
  }

  async function receipts(order: StoredOrder): Promise<Receipt[]> {
    const h = await redis.hGetAll(keys.orderReceipts(order.id));
    const n = (v: string | undefined) => (v === undefined ? null : Number(v));
    return order.teamIds.map((teamId) => ({ teamId, receivedAt: n(h[`recv:${teamId}`]), readAt: n(h[`read:${teamId}`]), arrivedAt: n(h[`arr:${teamId}`]), overdueAt: n(h[`late:${teamId}`]) }));
  }

  const view = async (order: StoredOrder): Promise<OrderView> => ({ ...order, byName: order.byName ?? null, receipts: await receipts(order) });

  /** Sets the step once (HSETNX); reading implies received. True when anything changed. */
  async function setStep(order: StoredOrder, teamId: string, step: Step, at: number): Promise<boolean> {
    const key = keys.orderReceipts(order.id);
    const member = `${order.id}\t${teamId}`;
    const m = redis.multi();
    if (step !== 'arr') m.hSetNX(key, `recv:${teamId}`, String(at));
    if (step !== 'recv') m.hSetNX(key, `${step}:${teamId}`, String(at));
    if (step === 'read') m.zRem(keys.ordersUnread, member);
    if (step === 'arr') m.zRem(keys.ordersGoto, member);
    const replies = (await m.exec()) as unknown[];
    return replies.some((r) => r === 1 || r === true);
  }

  /** Open go-to orders (of these teams), dropping members whose order is gone or has no place. */
  async function openGoTo(teams?: Set<string>): Promise<{ member: string; teamId: string; order: StoredOrder }[]> {
    const out: { member: string; teamId: string; order: StoredOrder }[] = [];
    for (const member of await redis.zRange(keys.ordersGoto, 0, 499)) {
      const [orderId, teamId] = member.split('\t') as [string, string];
      if (teams && !teams.has(teamId)) continue;
      const order = await get(orderId);
      if (!order || order.lon === null || order.lat === null) {
        await redis.zRem(keys.ordersGoto, member);
        continue;
      }
      out.push({ member, teamId, order });
    }
    return out;
  }

  /** Stores the arrival (once), then claims the item: of two processes only one announces it. */
  async function arrive(member: string, order: StoredOrder, teamId: string, now: number): Promise<boolean> {
    await redis.hSetNX(keys.orderReceipts(order.id), `arr:${teamId}`, String(now));
    if ((await redis.zRem(keys.ordersGoto, member)) !== 1) return false;
    announce(await view(order), teamId);
    return true;
  }

  return {
    get,
    view,
    async send(body, user) {
      const existing = await get(body.id);
      if (existing) {
        if (!sameRequest(existing, body) || existing.by !== user.username) throw new HttpError(409, `order ${body.id} exists with another body`, 'body.id', { code: 'conflict' });
        return { order: await view(existing), created: false };
      }
      if ((body.lon === undefined) !== (body.lat === undefined)) throw new HttpError(400, 'give lon and lat together', body.lon === undefined ? 'body.lon' : 'body.lat', { code: 'required' });
      const teamIds = await recipients(body.to, user);
      const at = app.clock.now();
      const order: StoredOrder = { id: body.id, text: body.text.trim(), lon: body.lon ?? null, lat: body.lat ?? null, to: body.to, teamIds, by: user.username, byName: user.name, at };
      // One script stores the order and its indexes; of two racing retries one writes, the other answers it.
      const stored = await SEND.run(redis, [keys.orders, keys.ordersByTime, keys.ordersUnread, keys.ordersGoto], [keys.prefix, order.id, JSON.stringify(order), at, at + unreadMs(), order.lon !== null ? '1' : '0', ordersTally(teamIds, at), ...teamIds]);
      if (stored !== 1) return this.send(body, user);
      await waitForReplica(redis);
      const v = await view(order);
      announce(v);
      return { order: v, created: true };
    },
    async list(teamId, limit) {
      const ids = await redis.zRange(teamId ? keys.teamOrders(teamId) : keys.ordersByTime, '+inf', '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: limit } });
      const jsons = ids.length ? await redis.hmGet(keys.orders, ids) : [];
      const orders = jsons.filter((j): j is string => !!j).map((j) => JSON.parse(j) as StoredOrder);
      return Promise.all(orders.map(view));
    },
    async openForTeam(teamId) {
      const now = app.clock.now();
      const ids = await redis.zRange(keys.teamOrders(teamId), now - 86_400_000, '+inf', { BY: 'SCORE' });
      const out: PatrolOrder[] = [];
      for (const id of ids) {
        const o = await get(id);
        if (!o) continue;
        const p = forTeam(await view(o), teamId);
        if (p.readAt === null || (p.lon !== null && p.arrivedAt === null)) out.push(p);
      }
      return out.reverse();
    },
    async mark(orderId, teamId, step) {
      const order = await get(orderId);
      if (!order || !order.teamIds.includes(teamId)) throw new HttpError(404, `no order ${orderId} for this team`, 'orderId', { code: 'not_found' });
      const now = app.clock.now();
      const changed = await setStep(order, teamId, step, now);
      if (step === 'read') await app.alerts.resolveSubject('order_unread', unreadSubject(teamId, orderId), 'order_read', undefined, now);
      const v = await view(order);
      if (changed) announce(v, teamId);
      return forTeam(v, teamId);
    },
    async tick() {
      const now = app.clock.now();
      let changed = 0;
      // Unread past the limit: the alert first (one per subject, whichever process raises it),
      // then ZREM claims the item, so of two processes only one announces it, and a process
      // stopped in between leaves it for the next check.
      const due = await redis.zRange(keys.ordersUnread, '-inf', now, { BY: 'SCORE', LIMIT: { offset: 0, count: 200 } });
      for (const member of due) {
        const [orderId, teamId] = member.split('\t') as [string, string];
        const order = await get(orderId);
        if (!order) {
          await redis.zRem(keys.ordersUnread, member);
          continue;
        }
        const subject = unreadSubject(teamId, orderId);
        const deadline = order.at + unreadMs();
        await app.alerts.raise('order_unread', subject, { teamId, orderId, at: order.at, deadline, note: order.text.slice(0, 200), ...(order.lon !== null && order.lat !== null ? { lon: order.lon, lat: order.lat } : {}) }, true, now);
        // Read while this ran: the phone's read resolved nothing yet, so resolve it here.
        if (await redis.hExists(keys.orderReceipts(orderId), `read:${teamId}`)) await app.alerts.resolveSubject('order_unread', subject, 'order_read', undefined, now);
        await redis.hSetNX(keys.orderReceipts(orderId), `late:${teamId}`, String(now));
        if ((await redis.zRem(keys.ordersUnread, member)) !== 1) continue;
        announce(await view(order), teamId);
        changed++;
      }
      // Go-to orders: the team's latest fix (taken after the order) within the radius is arrival.
      for (const { member, teamId, order } of await openGoTo()) {
        const [lon, lat, time] = await redis.hmGet(keys.teamPosition(teamId), ['lon', 'lat', 'time']);
        if (!lon || !lat || Number(time) < order.at) continue;
        if (distanceMetres(Number(lon), Number(lat), order.lon!, order.lat!) > ARRIVAL_RADIUS_M) continue;
        if (await arrive(member, order, teamId, now)) changed++;
      }
      return changed;
    },
    async arriveByCheckIns(checkIns) {
      if (checkIns.length === 0) return 0;
      const places = await app.geography.places.current();
      let changed = 0;
      for (const { member, teamId, order } of await openGoTo(new Set(checkIns.map((c) => c.teamId)))) {
        const there = checkIns.some((c) => {
          const l = c.teamId === teamId && c.time >= order.at ? places.locations.get(c.locationId) : undefined;
          return l !== undefined && distanceMetres(l.lon, l.lat, order.lon!, order.lat!) <= Math.max(ARRIVAL_RADIUS_M, l.radius);
        });
        if (there && (await arrive(member, order, teamId, app.clock.now()))) changed++;
      }
      return changed;
    },
  };
}
