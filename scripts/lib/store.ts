/**
 * Connects a command-line script to the store: REDIS_URL, else the Redis that `npm start` is
 * running (var/redis-url), else redis://127.0.0.1:6379.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { createKeys } from '../../server/src/keys.ts';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export function storeUrl(): string {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const file = join(root, 'var', 'redis-url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return 'redis://127.0.0.1:6379';
}

export async function connectStore() {
  const url = storeUrl();
  const redis = createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (err) {
    throw new Error(`cannot reach Redis at ${url} (${(err as Error).message}): is \`npm start\` running, or REDIS_URL set?`);
  }
  return { redis, keys: createKeys(process.env.REDIS_PREFIX ?? 'lf:'), url };
}
