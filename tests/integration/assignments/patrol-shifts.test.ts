/**
 * `patrol:shifts`: the patrol phone reads its own team's shift in force and the next one, named,
 * from a device link on `/patrol` and from a signed-in patrol account on `/` — never another
 * team's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { PatrolShifts } from '@lianfang/server/events';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { registerDevice, type Client } from '../tracking/helpers.ts';
import { FakeClock, sh } from '../coverage/helpers.ts';

type Ack<T> = { data: T } | { error: { message: string; code?: string } };

function patrolSocket(url: string, options: { device?: string; cookie?: string; namespace?: string }): Promise<Client> {
  const socket: Client = connect(`${url}${options.namespace ?? '/patrol'}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.device ? { device: options.device } : {},
    extraHeaders: options.cookie ? { cookie: options.cookie } : {},
  });
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (err) => reject(err));
  });
}

const T0 = sh(2026, 3, 10, 9);
const HOUR = 3_600_000;

describe('patrol:shifts', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: SignedIn;
  let device: Client; // team-1's phone
  let account: Client; // team-2's patrol account on the main namespace

  async function assign(body: { id: string; teamId: string; gridIds: string[]; locationIds: string[]; from: number; to: number }): Promise<void> {
    const res = await as(dispatcher)(`${t.url}/api/assignments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`assign: ${res.status} ${await res.text()}`);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
    const registered = await registerDevice(t, 'team-1', '张伟', dispatcher);
    device = await patrolSocket(t.url, { device: registered.identifier });
    account = await patrolSocket(t.url, { cookie: (await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' })).cookie, namespace: '/' });
    await assign({ id: `ps-${process.pid}-1`, teamId: 'team-1', gridIds: ['G-A1'], locationIds: ['L-1'], from: T0 - HOUR, to: T0 + 3 * HOUR });
    await assign({ id: `ps-${process.pid}-2`, teamId: 'team-1', gridIds: ['G-A2'], locationIds: [], from: T0 + 4 * HOUR, to: T0 + 12 * HOUR });
    await assign({ id: `ps-${process.pid}-3`, teamId: 'team-1', gridIds: ['G-A1'], locationIds: [], from: T0 + 12 * HOUR, to: T0 + 20 * HOUR });
    await assign({ id: `ps-${process.pid}-4`, teamId: 'team-2', gridIds: ['G-B2'], locationIds: ['L-3'], from: T0 + 2 * HOUR, to: T0 + 10 * HOUR });
  });
  afterAll(async () => {
    device?.disconnect();
    account?.disconnect();
    await t?.stop();
  });

  it("gives a device its own team's shift in force and the next one, named", async () => {
    const res = (await device.emitWithAck('patrol:shifts')) as Ack<PatrolShifts>;
    if (!('data' in res)) throw new Error(JSON.stringify(res));
    expect(res.data).toEqual({
      at: T0,
      current: { id: `ps-${process.pid}-1`, from: T0 - HOUR, to: T0 + 3 * HOUR, grids: [{ id: 'G-A1', name: '城东一网格' }], locations: [{ id: 'L-1', name: '沭阳汽车站' }] },
      next: { id: `ps-${process.pid}-2`, from: T0 + 4 * HOUR, to: T0 + 12 * HOUR, grids: [{ id: 'G-A2', name: '城东二网格' }], locations: [] },
    });
  });

  it("gives a patrol account only its own team's shifts: none in force, the next one", async () => {
    const res = (await account.emitWithAck('patrol:shifts')) as Ack<PatrolShifts>;
    if (!('data' in res)) throw new Error(JSON.stringify(res));
    expect(res.data.current).toBeNull();
    expect(res.data.next).toMatchObject({ id: `ps-${process.pid}-4`, grids: [{ id: 'G-B2', name: '王庄二网格' }], locations: [{ id: 'L-3', name: '胡集中学' }] });
  });

  it('shows the handover note a planner left on the shift', async () => {
    const id = `ps-${process.pid}-4`;
    const res = await as(dispatcher)(`${t.url}/api/assignments/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gridIds: ['G-B2'], locationIds: ['L-3'], from: T0 + 2 * HOUR, to: T0 + 10 * HOUR, note: '学校门口施工，放学时段加强' }),
    });
    expect(res.status).toBe(200);
    const ack = (await account.emitWithAck('patrol:shifts')) as Ack<PatrolShifts>;
    if (!('data' in ack)) throw new Error(JSON.stringify(ack));
    expect(ack.data.next).toMatchObject({ id, note: '学校门口施工，放学时段加强' });
  });
});
