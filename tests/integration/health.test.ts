import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../helpers/app.ts';

describe('GET /api/health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  const health = async () => {
    const res = await fetch(`${t.url}/api/health`);
    return { status: res.status, body: (await res.json()) as { status: string; redis: string } };
  };

  it('answers 200 with redis up when Redis is reachable', async () => {
    await waitFor(async () => (await health()).status === 200);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', redis: 'up' });
  });

  it('goes 503 with redis down while Redis is stopped, and back to 200 by itself after it restarts', async () => {
    await t.redis.stop();
    await waitFor(async () => (await health()).status === 503, 10_000);
    expect((await health()).body).toMatchObject({ redis: 'down' });
    // The process stays up and keeps answering other routes with a clear 503, not a crash.
    const teams = await fetch(`${t.url}/api/teams`, { headers: { cookie: 'lf_session=whatever' } });
    expect(teams.status).toBe(503);

    await t.redis.start();
    await waitFor(async () => (await health()).status === 200, 15_000);
    expect((await health()).body).toMatchObject({ status: 'ok', redis: 'up' });
  });
});
