/**
 * Orders (指令) with real Redis and two server processes: who receives one, a retried id,
 * coordinators' scope, receipts stored before the phone's ack and back on the sender's map,
 * an unread order raising one alert whichever process checks (resolved when read), and a go-to
 * order completed on arrival.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, OrdersBatch, ServerToClientEvents } from '@lianfang/server/events';
import type { OrderView, PatrolOrder } from '../../../server/src/orders/schemas.ts';
import type { AlertsResponse } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, MIN, sh } from '../coverage/helpers.ts';
import { postJson, registerDevice } from '../tracking/helpers.ts';

type Sock = Socket<ServerToClientEvents, ClientToServerEvents>;
const open = (url: string, session: SignedIn): Promise<Sock> =>
  new Promise((resolve, reject) => {
    const s: Sock = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
    s.on('connect', () => resolve(s));
    s.on('connect_error', reject);
  });

describe('orders', () => {
  const clock = new FakeClock(sh(2026, 3, 10, 9));
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let dispatcher: ReturnType<typeof client>;
  const sockets: Sock[] = [];
  let n = 0;
  const nextId = () => `order-${++n}-abcdef`;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestApp({ redis, clock, coverageTickMs: 0, orderTickMs: 0, broadcastTickMs: 50 });
    b = await startTestApp({ redis, clock, coverageTickMs: 0, orderTickMs: 0, broadcastTickMs: 50 });
    await seedCounty(a.app, smallCounty());
    dispatcher = client(a, await signIn(a, 'dispatcher'));
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await b?.stop();
    await a?.stop();
    await redis?.destroy();
  });

  it('sends to listed teams, a township\'s teams or every team on duty, naming the field when there are none', async () => {
    let res = await dispatcher.post('/api/orders', { id: nextId(), to: { townshipId: 'T-B' }, text: '注意' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrderView).teamIds).toEqual(['team-2']);
    res = await dispatcher.post('/api/orders', { id: nextId(), to: { teamIds: ['nope'] }, text: '注意' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body.to.teamIds', code: 'unknown_team' });
    res = await dispatcher.post('/api/orders', { id: nextId(), to: {}, text: '注意' });
    expect(await res.json()).toMatchObject({ field: 'body.to' });
    res = await dispatcher.post('/api/orders', { id: nextId(), to: { onDuty: true }, text: '注意' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body.to.onDuty', code: 'no_recipients' });
    await a.app.redis.hSet(a.app.keys.teamStatus, 'team-1', `on_patrol\t${clock.now()}`);
    res = await dispatcher.post('/api/orders', { id: nextId(), to: { onDuty: true }, text: '全体注意' });
    expect(((await res.json()) as OrderView).teamIds).toEqual(['team-1']);
  });

  it('answers a retried id with the same order (200) and another body under it with 409', async () => {
    const body = { id: nextId(), to: { teamIds: ['team-1'] }, text: '到车站' };
    expect((await dispatcher.post('/api/orders', body)).status).toBe(201);
    const again = await dispatcher.post('/api/orders', body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as OrderView).id).toBe(body.id);
    expect((await dispatcher.post('/api/orders', { ...body, text: '别的' })).status).toBe(409);
    const list = (await (await dispatcher.get('/api/orders?teamId=team-1')).json()) as { orders: OrderView[] };
    expect(list.orders.filter((o) => o.id === body.id)).toHaveLength(1);
    expect(list.orders[0]!.id).toBe(body.id); // newest first
  });

  it("refuses a coordinator's order to another organisation's team with 403 naming the team", async () => {
    const coordinator = client(a, await signIn(a, 'coordinator', { organisationId: 'O-PS' }));
    const res = await coordinator.post('/api/orders', { id: nextId(), to: { teamIds: ['team-1', 'team-2'] }, text: '注意' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ field: 'body.to.teamIds', code: 'team_out_of_scope', params: { team: 'team-2' } });
    const township = await coordinator.post('/api/orders', { id: nextId(), to: { townshipId: 'T-B' }, text: '注意' });
    expect(township.status).toBe(400);
    expect((await coordinator.post('/api/orders', { id: nextId(), to: { teamIds: ['team-1'] }, text: '注意' })).status).toBe(201);
  });

  it("delivers an order to the team's phone on the other process and brings its receipts, stored before the ack, back to the sender's map", async () => {
    const phone = await open(b.url, await signIn(b, 'patrol', { teamId: 'team-1' }));
    const map = await open(a.url, await signIn(a, 'dispatcher', { username: 'map-watcher' }));
    sockets.push(phone, map);
    const got: PatrolOrder[] = [];
    const updates: OrderView[] = [];
    phone.on('order:new', (o) => got.push(o));
    map.on('order:updated', (batch: OrdersBatch) => updates.push(...batch.orders));
    const id = nextId();
    // Cross-process delivery may need the adapter's subscriptions up: resend the same id until it arrives.
    await waitFor(async () => {
      await dispatcher.post('/api/orders', { id, to: { teamIds: ['team-1'] }, text: '到汽车站集合', lon: 118.62, lat: 33.85 });
      return got.some((o) => o.id === id);
    }, 20_000, 200);
    expect(got.find((o) => o.id === id)).toMatchObject({ text: '到汽车站集合', lon: 118.62, readAt: null, byName: '测试dispatcher' });
    const received = await phone.emitWithAck('order:received', { orderId: id });
    expect(received).toMatchObject({ data: { id, receivedAt: clock.now(), readAt: null } });
    clock.advance(30_000);
    const read = await phone.emitWithAck('order:read', { orderId: id });
    expect(read).toMatchObject({ data: { readAt: clock.now() } });
    // Stored before the ack: another process reads it at once.
    const list = (await (await client(b, await signIn(b, 'dispatcher', { username: 'other' })).get('/api/orders?teamId=team-1')).json()) as { orders: OrderView[] };
    expect(list.orders.find((o) => o.id === id)!.receipts[0]).toMatchObject({ teamId: 'team-1', readAt: clock.now(), arrivedAt: null });
    await waitFor(() => updates.some((o) => o.id === id && o.receipts[0]?.readAt !== null), 10_000);
    const bad = await phone.emitWithAck('order:read', { orderId: 42 } as never);
    expect(bad).toMatchObject({ error: { field: 'orderId', code: 'invalid' } });
    const other = await phone.emitWithAck('order:read', { orderId: 'no-such-order' });
    expect(other).toMatchObject({ error: { code: 'not_found' } });
  });

  it('lists open orders to a phone that reconnects after they were sent', async () => {
    const id = nextId();
    await dispatcher.post('/api/orders', { id, to: { teamIds: ['team-2'] }, text: '离线时发送' });
    const phone = await open(a.url, await signIn(a, 'patrol', { teamId: 'team-2' }));
    sockets.push(phone);
    const res = await phone.emitWithAck('patrol:orders');
    expect('data' in res && res.data.orders.map((o) => o.id)).toContain(id);
  });

  it('raises one 指令未读 alert for a team that has not read an order in ORDER_UNREAD_ALERT_MIN, though both processes check, and resolves it when the phone reads it', async () => {
    // The earlier tests' unread orders first, so only this one falls due below.
    clock.advance(a.config.orderUnreadAlertMin * MIN);
    await a.app.orders.tick();
    const unreadAlerts = async () =>
      ((await (await dispatcher.get('/api/alerts?kind=order_unread&state=all&limit=500')).json()) as AlertsResponse).alerts.filter((x) => x.orderId === id);
    const id = nextId();
    await dispatcher.post('/api/orders', { id, to: { teamIds: ['team-2'] }, text: '未读测试' });
    const sentAt = clock.now();
    clock.advance(a.config.orderUnreadAlertMin * MIN - 1000);
    expect(await a.app.orders.tick()).toBe(0);
    expect(await unreadAlerts()).toEqual([]);
    clock.advance(2000);
    const [x, y] = await Promise.all([a.app.orders.tick(), b.app.orders.tick()]);
    expect(x + y).toBe(1);
    const all = (await (await dispatcher.get('/api/orders')).json()) as { orders: OrderView[] };
    expect(all.orders.find((o) => o.id === id)!.receipts[0]!.overdueAt).toBe(clock.now());
    expect(await a.app.orders.tick()).toBe(0);
    const raised = await unreadAlerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'order_unread', state: 'raised', teamId: 'team-2', townshipId: 'T-B', at: sentAt, note: '未读测试' });

    const phone = await open(b.url, await signIn(b, 'patrol', { teamId: 'team-2' }));
    sockets.push(phone);
    expect(await phone.emitWithAck('order:read', { orderId: id })).toMatchObject({ data: { id } });
    const after = await unreadAlerts();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ state: 'resolved', resolved: { by: 'system', reason: 'order_read' } });
  });

  it('completes a go-to order when the team comes within 100 m', async () => {
    const id = nextId();
    await dispatcher.post('/api/orders', { id, to: { teamIds: ['team-2'] }, text: '去胡集中学', lon: 118.76, lat: 33.84 });
    const pos = a.app.keys.teamPosition('team-2');
    await a.app.redis.hSet(pos, { lon: '118.77', lat: '33.84', time: String(clock.now() + 1000) });
    await a.app.orders.tick();
    let list = (await (await dispatcher.get('/api/orders?teamId=team-2')).json()) as { orders: OrderView[] };
    expect(list.orders[0]!.receipts[0]!.arrivedAt).toBeNull();
    clock.advance(60_000);
    await a.app.redis.hSet(pos, { lon: '118.7605', lat: '33.8402', time: String(clock.now()) });
    await Promise.all([a.app.orders.tick(), b.app.orders.tick()]);
    list = (await (await dispatcher.get('/api/orders?teamId=team-2')).json()) as { orders: OrderView[] };
    expect(list.orders[0]).toMatchObject({ id, receipts: [{ arrivedAt: clock.now() }] });
  });

  it('completes a go-to order when the team checks in at the ordered key location, 130 m from its marker where its position alone would not count', async () => {
    const signedIn = await signIn(a, 'dispatcher');
    const device = (await registerDevice(a, 'team-1', '张伟', signedIn)).identifier;
    const res = await dispatcher.post('/api/coverage/locations/L-1/send', { teamId: 'team-1' });
    expect(res.status).toBe(200);
    const order = ((await (await dispatcher.get('/api/orders?teamId=team-1')).json()) as { orders: OrderView[] }).orders[0]!;
    expect(order).toMatchObject({ lon: 118.62, lat: 33.85, receipts: [{ arrivedAt: null }] });
    clock.advance(1000);
    // L-1 has a 150 m radius: 130 m north is inside it, but beyond the 100 m of a bare position.
    const there = { lon: 118.62, lat: 33.85117 };
    const fixes = await postJson(`${a.url}/api/positions/batch`, { deviceId: device, positions: [{ lon: 118.62, lat: 33.86, time: clock.now() - 2000, accuracy: 10 }, { ...there, time: clock.now() - 1000, accuracy: 10 }] });
    expect(fixes.status).toBe(200);
    await a.app.orders.tick();
    const arrivedAt = async () => ((await (await dispatcher.get('/api/orders?teamId=team-1')).json()) as { orders: OrderView[] }).orders.find((o) => o.id === order.id)!.receipts[0]!.arrivedAt;
    expect(await arrivedAt()).toBeNull();
    const checkIn = await postJson(`${b.url}/api/checkins`, { deviceId: device, id: `ci-${order.id}`.slice(0, 60), locationId: 'L-1', time: clock.now(), ...there, accuracy: 10 });
    expect(checkIn.status).toBe(201);
    await waitFor(async () => (await arrivedAt()) === clock.now(), 5000, 50);
  });

  it("makes point dispatch from coverage (send a team to a key location) a go-to order on the team's phone", async () => {
    const res = await dispatcher.post('/api/coverage/locations/L-1/send', { teamId: 'team-1', note: '尽快' });
    expect(res.status).toBe(200);
    const list = (await (await dispatcher.get('/api/orders?teamId=team-1')).json()) as { orders: OrderView[] };
    expect(list.orders[0]).toMatchObject({ text: '沭阳汽车站: 尽快', lon: 118.62, lat: 33.85, teamIds: ['team-1'] });
  });
});
