/**
 * Attack: read the demo accounts' password out of Redis (a dump, a backup, a shared instance).
 * Earlier versions kept the generated one there in clear text so every start could print it
 * again. Now it is shown once, when the accounts are created, and Redis holds only its hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { createClient } from 'redis';

/** Every string, hash field and stream entry under the prefix, as one text to search. */
async function everything(t: TestApp): Promise<string> {
  const redis = t.app.redis;
  const out: string[] = [];
  for await (const batch of redis.scanIterator({ MATCH: `${t.app.keys.prefix}*`, COUNT: 1000 })) {
    for (const key of batch) {
      const type = await redis.type(key);
      if (type === 'string') out.push((await redis.get(key)) ?? '');
      else if (type === 'hash') out.push(JSON.stringify(await redis.hGetAll(key)));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xRange(key, '-', '+', { COUNT: 10_000 })));
    }
  }
  return out.join('\n');
}

describe('the demo password', () => {
  let redis: TestRedis;
  const lines: string[] = [];
  const logger = { level: 'info', stream: { write: (line: string) => void lines.push(line) } };
  const start = () => startTestApp({ redis, demo: true, waitForDemo: true, logger });
  const login = (t: TestApp, password: string) =>
    fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password }) });
  const passwordsPrinted = () => lines.map((l) => JSON.parse(l) as { msg: string; password?: string }).filter((l) => l.msg.startsWith('demo accounts'));

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.destroy());

  it('is printed once when the accounts are created, signs in, and is nowhere in Redis in clear text', async () => {
    const t = await start();
    try {
      const printed = passwordsPrinted();
      expect(printed).toHaveLength(1);
      const password = printed[0]!.password!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect((await login(t, password)).status).toBe(200);
      expect(await t.app.redis.exists(`${t.app.keys.prefix}demo:password`)).toBe(0);
      expect(await everything(t)).not.toContain(password);
    } finally {
      await t.app.close();
    }
  });

  it('is not printed again by a later start, which cannot know it, and an older version\'s clear-text copy is removed', async () => {
    const first = passwordsPrinted()[0]!.password!;
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.set('lf:demo:password', first);
    await raw.quit();
    lines.length = 0;
    const t = await start();
    try {
      const printed = passwordsPrinted();
      expect(printed).toHaveLength(1);
      expect(printed[0]!.password).toMatch(/printed when the accounts were created/);
      expect(lines.join('\n')).not.toContain(first);
      expect(await t.app.redis.exists(`${t.app.keys.prefix}demo:password`)).toBe(0);
      expect((await login(t, first)).status).toBe(200);
    } finally {
      await t.app.close();
    }
  });
});
