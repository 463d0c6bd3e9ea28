/**
 * The tests' own redis-server (tests/helpers/redis.ts): a file whose port was taken by another
 * file's Redis between picking it and binding it must not run on that other Redis, which would
 * vanish under it when the other file ends ("The client is offline" in CI).
 */
import { afterAll, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const started: TestRedis[] = [];
afterAll(async () => {
  for (const redis of started) await redis.destroy();
});

it("starts on another port when another file's Redis took the one it picked, and never shares it", async () => {
  const theirs = await startRedis();
  started.push(theirs);
  const ours = await startRedis({ firstPort: theirs.port });
  started.push(ours);
  expect(ours.port).not.toBe(theirs.port);

  const client = createClient({ url: ours.url });
  await client.connect();
  try {
    await client.set('whose', 'ours');
    const other = createClient({ url: theirs.url });
    await other.connect();
    expect(await other.get('whose')).toBeNull();
    await other.quit();
  } finally {
    await client.quit();
  }
});
