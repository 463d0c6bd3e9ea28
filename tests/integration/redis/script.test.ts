import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../../server/src/keys.ts';
import { loadScript } from '../../../server/src/redis/script.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';

let redis: TestRedis;
let client: ReturnType<typeof createClient>;
const script = loadScript(new URL('./lua/names-keys.lua', import.meta.url));

beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await redis?.destroy();
});

describe('loadScript', () => {
  it('names keys exactly as keys.ts does, from the prefix the caller passes', async () => {
    const keys = createKeys('county7:');
    const reply = (await script.run(client, [], [keys.prefix, 'T-1'])) as string[];
    expect(reply.slice(0, 3)).toEqual([keys.teams, keys.teamTrack('T-1'), keys.rateLimit('login', 'T-1', 7)]);
    expect(await client.xLen(keys.teamTrack('T-1'))).toBe(1);
  });

  it('splices an include once however often it is included, and only the keys the script names', () => {
    expect(script.source.match(/local function xaddAt/g)).toHaveLength(1);
    expect(script.source).toContain("key.teamTrack = function(a1) return P .. 'team:track:' .. a1 end");
    expect(script.source).not.toContain('key.users');
  });

  it('runs again after Redis forgot its scripts (restart or failover: NOSCRIPT)', async () => {
    await client.scriptFlush();
    const reply = (await script.run(client, [], ['{lf}:', 'T-2'])) as string[];
    expect(reply[1]).toBe('{lf}:team:track:T-2');
    expect(await client.scriptExists(script.sha)).toEqual([1]);
  });

  it('fails at load, not on first call, when an include is missing', () => {
    expect(() => loadScript(new URL('./lua/missing-include.lua', import.meta.url))).toThrow(/include "nowhere" not found/);
  });
});
