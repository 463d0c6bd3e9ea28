/**
 * The grid help board's form as a resident meets it, without signing in: the grid header,
 * every field checked with a message naming it, a reference number to look the request up
 * (state and times only), pressing send twice makes one request, and the limits per client
 * address and per grid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView, PublicGridResponse, PublicHelpStatus } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { FakeClock, MIN, sh } from '../coverage/helpers.ts';
import { HELP_PER_ADDRESS, HELP_PER_GRID } from '../../../server/src/incidents/publicRoutes.ts';
import { clientId, incidentClient, type IncidentClient } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);
let address = 0;
/** A new client address each call (the app trusts X-Forwarded-For, as behind the county's proxy). */
const nextAddress = () => `10.0.${Math.floor(++address / 250)}.${address % 250}`;

describe('public help form', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: IncidentClient;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0, trustProxy: 1 });
    await seedCounty(t.app, smallCounty());
    dispatcher = incidentClient(t, await signIn(t, 'dispatcher'));
  });
  afterAll(async () => t?.stop());

  async function send(body: Record<string, unknown>, from = nextAddress()) {
    const res = await fetch(`${t.url}/api/public/help`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as PublicHelpStatus & { message: string; field?: string }, retryAfter: res.headers.get('retry-after') };
  }
  const valid = (fields: Record<string, unknown> = {}) => ({ id: clientId(), gridId: 'G-A1', description: '家里老人摔倒了需要帮助', name: '王大妈', phone: '13812345678', ...fields });

  it("shows the grid's name, township and leader for the form's header, 404 for an unknown grid", async () => {
    const res = await fetch(`${t.url}/api/public/grids/G-B2`);
    expect(await res.json()).toEqual({ gridId: 'G-B2', gridName: '王庄二网格', townshipName: '胡集镇', leader: { name: '王庄二网格网格长', phone: '13900000001' } } satisfies PublicGridResponse);
    const missing = await fetch(`${t.url}/api/public/grids/G-X`);
    expect([missing.status, ((await missing.json()) as { field: string }).field]).toEqual([404, 'params.gridId']);
  });

  it('checks every field and names it, writing nothing', async () => {
    const before = await t.app.redis.hLen(t.app.keys.incidents);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ id: undefined }, 400, 'body.id'],
      [{ id: 'short' }, 400, 'body.id'],
      [{ gridId: undefined }, 400, 'body.gridId'],
      [{ gridId: 'G-NOWHERE' }, 404, 'body.gridId'],
      [{ description: undefined }, 400, 'body.description'],
      [{ description: '救命' }, 400, 'body.description'],
      [{ description: '长'.repeat(501) }, 400, 'body.description'],
      [{ phone: undefined }, 400, 'body.phone'],
      [{ phone: '12345' }, 400, 'body.phone'],
      [{ phone: '1381234567a' }, 400, 'body.phone'],
      [{ name: '名'.repeat(51) }, 400, 'body.name'],
      [{ category: 'traffic' }, 400, 'body.category'],
      [{ lon: 118.62 }, 400, 'body.lat'],
      [{ lon: 200, lat: 33.85 }, 400, 'body.lon'],
    ];
    for (const [fields, status, field] of cases) {
      const r = await send(valid(fields));
      expect([JSON.stringify(fields).slice(0, 40), r.status, r.body.field]).toEqual([JSON.stringify(fields).slice(0, 40), status, field]);
      expect(r.body.message).toContain(field);
    }
    expect(await t.app.redis.hLen(t.app.keys.incidents)).toBe(before);
  });

  it('answers a reference number; sending twice makes one request; the lookup shows state and times but no names or phones', async () => {
    clock.set(T0);
    const body = valid({ gridId: 'G-A2', lon: 118.67, lat: 33.86 });
    const first = await send(body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ reference: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{10}$/), category: 'help', state: 'new', createdAt: T0, steps: [{ state: 'new', at: T0 }] });
    const again = await send(body);
    expect([again.status, again.body.reference]).toEqual([200, first.body.reference]);

    const listed = (await dispatcher.get<{ incidents: IncidentView[] }>(`/api/incidents?q=${first.body.reference}`)).body.incidents;
    expect(listed).toHaveLength(1);
    const incident = listed[0]!;
    expect(incident).toMatchObject({ source: 'public', gridId: 'G-A2', townshipId: 'T-A', severity: 1, reporter: { name: '王大妈', phone: '13812345678' }, lon: 118.67, lat: 33.86 });

    clock.set(T0 + MIN);
    await dispatcher.step(incident.id, 'dispatch', { teamId: 'team-1', version: incident.version });
    clock.set(T0 + 3 * MIN);
    await dispatcher.step(incident.id, 'accept');
    const lookup = await fetch(`${t.url}/api/public/help/${first.body.reference.toLowerCase()}`);
    const text = await lookup.text();
    expect(JSON.parse(text)).toEqual({
      reference: first.body.reference,
      category: 'help',
      state: 'accepted',
      createdAt: T0,
      steps: [
        { state: 'new', at: T0 },
        { state: 'dispatched', at: T0 + MIN },
        { state: 'accepted', at: T0 + 3 * MIN },
      ],
    });
    for (const secret of ['王大妈', '13812345678', '老人', 'team-1', '沭城巡01', dispatcher.username, 'G-A2']) expect(text).not.toContain(secret);
    const unknown = await fetch(`${t.url}/api/public/help/ZZZZZZZZZZ`);
    expect(unknown.status).toBe(404);
  });

  it("puts a request sent without a position (or from outside the grid) inside the board's grid", async () => {
    const r = await send(valid({ gridId: 'G-B1', description: '没有定位的求助' }));
    const far = await send(valid({ gridId: 'G-B1', description: '定位在别处的求助', lon: 118.62, lat: 33.85 }));
    for (const ref of [r.body.reference, far.body.reference]) {
      const [incident] = (await dispatcher.get<{ incidents: IncidentView[] }>(`/api/incidents?q=${ref}`)).body.incidents;
      expect(incident).toMatchObject({ gridId: 'G-B1', townshipId: 'T-B' });
      expect(incident!.lon).toBeGreaterThanOrEqual(118.7);
      expect(incident!.lon).toBeLessThanOrEqual(118.75);
    }
  });

  it('records the request in the audit log as from the public, with the address', async () => {
    const from = nextAddress();
    const r = await send(valid({ gridId: 'G-A1' }), from);
    const entries = await t.app.audit.list({ action: 'incident_create', limit: 50 });
    expect(entries.find((e) => e.detail.reference === r.body.reference)).toMatchObject({ actor: 'public', ip: from, detail: { gridId: 'G-A1' } });
  });

  it(`refuses a client address after ${HELP_PER_ADDRESS.max} requests with 429 and a message, other addresses still served`, async () => {
    const from = nextAddress();
    for (let i = 0; i < HELP_PER_ADDRESS.max; i++) expect((await send(valid({ gridId: 'G-B2' }), from)).status).toBe(201);
    const over = await send(valid({ gridId: 'G-B2' }), from);
    expect(over.status).toBe(429);
    expect(over.body.message).toMatch(/^too many requests, retry in \d+ s$/);
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    expect((await send(valid({ gridId: 'G-B2' }))).status).toBe(201);
  });

  it(`refuses a grid's board after ${HELP_PER_GRID.max} requests whoever sends them, naming the grid, other grids still served`, async () => {
    clock.set(T0 + 60 * MIN); // a fresh window
    for (let i = 0; i < HELP_PER_GRID.max; i++) expect((await send(valid({ gridId: 'G-A1' }))).status).toBe(201);
    const over = await send(valid({ gridId: 'G-A1' }));
    expect([over.status, over.body.field]).toEqual([429, 'body.gridId']);
    expect(over.body.message).toMatch(/too many requests/);
    expect((await send(valid({ gridId: 'G-B1' }))).status).toBe(201);
    // The next window serves the grid again.
    clock.set(T0 + 60 * MIN + HELP_PER_GRID.windowMs);
    expect((await send(valid({ gridId: 'G-A1' }))).status).toBe(201);
  });
});
