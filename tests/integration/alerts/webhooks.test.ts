/**
 * Alerts out of the building: webhooks an admin configures post alert events, signed, to real
 * local HTTP receivers, with retries; failures show on GET /api/admin/webhooks; two server
 * processes on one Redis deliver an event once; the low-battery alert of a team on duty.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh, type Client } from '../coverage/helpers.ts';
import type { WebhookView } from '../../../server/src/webhooks/schemas.ts';

const T0 = sh(2026, 3, 10, 9);

interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A real HTTP receiver on port 0 that answers 500 to the first `failFirst` requests. */
async function receiver(failFirst: number): Promise<{ url: string; got: Received[]; attempts: () => number; close(): Promise<void> }> {
  const got: Received[] = [];
  let attempts = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      attempts++;
      if (attempts <= failFirst) {
        res.writeHead(500).end('busy');
        return;
      }
      got.push({ body, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, got, attempts: () => attempts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('webhooks', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let second: TestApp;
  let admin: Client;
  let dispatcher: Client;

  beforeAll(async () => {
    // Tiny waits between tries and a fast poll: no sleeping, the retries happen within the test's waitFor.
    const options = { clock, coverageTickMs: 0, incidentTickMs: 0, webhookRetryDelaysMs: [5, 5], webhookPollMs: 10, webhookTimeoutMs: 2000 };
    t = await startTestApp(options);
    second = await startTestApp({ ...options, redis: t.redis });
    await seedCounty(t.app, smallCounty());
    admin = client(t, await signIn(t, 'admin'));
    dispatcher = client(t, await signIn(t, 'dispatcher'));
  });
  afterAll(async () => {
    await second?.stop();
    await t?.stop();
  });

  beforeEach(async () => {
    for (const h of await t.app.webhooks.all()) await t.app.webhooks.remove(h.id);
    t.app.webhooks.invalidate();
    second.app.webhooks.invalidate();
    for (const a of await t.app.alerts.list()) if (a.teamId) await t.app.alerts.resolveSubject(a.kind, a.teamId, 'test');
  });

  async function hooks(): Promise<WebhookView[]> {
    return (await json<{ webhooks: WebhookView[] }>(await admin.get('/api/admin/webhooks'))).webhooks;
  }

  it('webhook delivery with retries against a real local HTTP receiver, including a receiver that fails twice', async () => {
    const flaky = await receiver(2);
    const down = await receiver(1_000);
    try {
      const ok = await json<WebhookView>(await admin.post('/api/admin/webhooks', { name: '指挥中心', url: flaky.url, kinds: ['sos'], events: ['raised'], format: 'json', secret: 's3cret' }));
      expect(ok).toMatchObject({ hasSecret: true, failures: 0, lastStatus: null });
      expect(ok).not.toHaveProperty('secret');
      await json(await admin.post('/api/admin/webhooks', { name: '坏地址', url: down.url, kinds: ['sos'], format: 'json' }));
      const { alert } = await t.app.alerts.raise('sos', 'team-2', { teamId: 'team-2', note: '有人持刀' }, true);

      // The waits between tries run on the app's clock: move it on while waiting.
      await waitFor(async () => {
        clock.set(clock.now() + 1000);
        return (await hooks()).every((h) => h.lastStatus === 'delivered' || h.lastStatus === 'failed');
      }, 10_000);
      expect(flaky.attempts()).toBe(3);
      expect(flaky.got).toHaveLength(1);
      const [got] = flaky.got;
      expect(got!.headers['x-lianfang-signature']).toBe(sign(got!.body, 's3cret'));
      expect(got!.headers['x-lianfang-event']).toBe('raised');
      expect(JSON.parse(got!.body)).toMatchObject({ event: 'raised', alert: { id: alert!.id, kind: 'sos', title: '金盾02', note: '有人持刀' } });

      const all = await hooks();
      const good = all.find((h) => h.name === '指挥中心');
      const bad = all.find((h) => h.name === '坏地址');
      expect(good).toMatchObject({ lastStatus: 'delivered', delivered: 1, failures: 0, lastError: null });
      expect(good!.recent[0]).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 200, alertId: alert!.id });
      expect(down.attempts()).toBe(3);
      expect(bad).toMatchObject({ lastStatus: 'failed', failures: 1, lastError: 'HTTP 500: busy' });
      expect(bad!.recent[0]).toMatchObject({ status: 'failed', attempts: 3, httpStatus: 500, error: 'HTTP 500: busy' });
      expect(await t.app.redis.zCard(t.app.keys.webhookDue)).toBe(0);
    } finally {
      await flaky.close();
      await down.close();
    }
  });

  it('delivers an alert event once when two server processes share one Redis', async () => {
    const r = await receiver(0);
    try {
      await json(await admin.post('/api/admin/webhooks', { name: 'both', url: r.url, events: ['raised', 'acknowledged'] }));
      second.app.webhooks.invalidate();
      const { alert } = await second.app.alerts.raise('sos', 'team-1', { teamId: 'team-1' }, true);
      await json(await dispatcher.post(`/api/alerts/${alert!.id}/acknowledge`, { note: '收到' }));
      await waitFor(() => r.got.length >= 2, 10_000);
      // Both processes poll every 10 ms: give a double delivery time to show up.
      await waitFor(async () => (await t.app.redis.zCard(t.app.keys.webhookDue)) === 0, 5000);
      expect((await hooks())[0]).toMatchObject({ delivered: 2, failures: 0 });
      // Each once; two processes may send them in either order (the body's alert says which state is newer).
      expect(r.got.map((g) => g.headers['x-lianfang-event']).sort()).toEqual(['acknowledged', 'raised']);
    } finally {
      await r.close();
    }
  });

  it('posts WeCom and DingTalk group robot markdown in Chinese, and a test message on request', async () => {
    const r = await receiver(0);
    try {
      const wecom = await json<WebhookView>(await admin.post('/api/admin/webhooks', { name: '企业微信', url: r.url, format: 'wecom', minLevel: 1 }));
      const ding = await json<WebhookView>(await admin.post('/api/admin/webhooks', { name: '钉钉', url: r.url, format: 'dingtalk' }));
      await t.app.alerts.raise('sos', 'team-1', { teamId: 'team-1', note: '求援' }, true);
      await waitFor(() => r.got.length >= 2, 10_000);
      const bodies = r.got.map((g) => JSON.parse(g.body) as { msgtype: string; markdown: { content?: string; title?: string; text?: string } });
      const w = bodies.find((b) => b.markdown.content)!;
      const d = bodies.find((b) => b.markdown.title)!;
      expect(w).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('【一级告警】紧急求助·新告警') } });
      expect(w.markdown.content).toContain('> 备注：求援');
      expect(d).toMatchObject({ msgtype: 'markdown', markdown: { title: '【一级告警】紧急求助·新告警', text: expect.stringContaining('> 对象：') } });
      expect(r.got[0]!.headers['x-lianfang-signature']).toBeUndefined();

      const test = await json<{ delivery: { status: string; event: string } }>(await admin.post(`/api/admin/webhooks/${ding.id}/test`));
      expect(test.delivery).toMatchObject({ status: 'delivered', event: 'test' });
      expect((await dispatcher.get('/api/admin/webhooks')).status).toBe(403);
      const changed = await json<WebhookView>(await admin.put(`/api/admin/webhooks/${wecom.id}`, { enabled: false }));
      expect(changed.enabled).toBe(false);
      expect((await admin.del(`/api/admin/webhooks/${wecom.id}`)).status).toBe(204);
      expect((await hooks()).map((h) => h.name)).toEqual(['钉钉']);
      const audit = await t.app.audit.list({ action: 'config_change', limit: 100 });
      expect(audit.filter((e) => e.target === `webhook:${wecom.id}`)).toHaveLength(3);
      expect(JSON.stringify(audit)).not.toContain('s3cret');
    } finally {
      await r.close();
    }
  });

  it('raises one low-battery alert for a team on duty and resolves it once charged', async () => {
    const at = (m: number) => clock.set(T0 + m * MIN);
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: at(1), battery: 50 }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(at(1));
    expect(await dispatcher.alerts('?kind=battery_low')).toEqual([]);
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: at(2), battery: 15 }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(at(2));
    await second.app.alerts.sweepTeams(at(2));
    const low = await dispatcher.alerts('?kind=battery_low');
    expect(low).toEqual([expect.objectContaining({ teamId: 'team-1', title: '沭城巡01', note: '15%', state: 'raised' })]);
    // Just over the threshold is not enough: 5 more resolves it.
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: at(3), battery: 22 }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(at(3));
    expect(await dispatcher.alerts('?kind=battery_low')).toHaveLength(1);
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: at(4), battery: 25 }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(at(4));
    expect(await dispatcher.alerts('?kind=battery_low')).toEqual([]);
    expect((await t.app.alerts.get(low[0]!.id))?.resolved).toMatchObject({ by: 'system', reason: 'charged' });
  });
});
