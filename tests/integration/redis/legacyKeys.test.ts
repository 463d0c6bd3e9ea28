import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { startTestApp } from '../../helpers/app.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
});

describe('keys of the layout before hash tags', () => {
  it('are moved to the tagged names at boot, so an upgraded Redis keeps its data, and another deployment sharing the prefix start is left alone', async () => {
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.hSet('lf:orgs', 'o1', '{"id":"o1"}');
    await raw.set('lf:session:abc', 'x', { EX: 3600 });
    await raw.hSet('lf:x:teams', 't1', 'other deployment');
    await raw.set('lf:notours', 'unknown key');
    const t = await startTestApp({ redis });
    try {
      await whenReady(t.app.redis, 5000);
      expect(await t.app.redis.hGet(t.app.keys.organisations, 'o1')).toBe('{"id":"o1"}');
      expect(t.app.keys.organisations).toBe('{lf}:orgs');
      const ttl = await raw.ttl(t.app.keys.session('abc'));
      expect(ttl).toBeGreaterThan(3500);
      expect(await raw.exists(['lf:orgs', 'lf:session:abc'])).toBe(0);
      expect(await raw.hGet('lf:x:teams', 't1')).toBe('other deployment');
      expect(await raw.get('lf:notours')).toBe('unknown key');
    } finally {
      await t.stop();
      await raw.quit();
    }
  });
});
