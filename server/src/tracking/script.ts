/** A Lua script run by its SHA, loaded on first use (and again after a Redis restart: NOSCRIPT). */
import { createHash } from 'node:crypto';
import type { Redis } from '../plugins/redis.ts';

export function luaScript(source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async function run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args };
    try {
      return await redis.evalSha(sha, options);
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return redis.eval(source, options);
    }
  };
}
