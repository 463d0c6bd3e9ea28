/**
 * Fixed-window rate limits counted in Redis, so every server process shares the count.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export function createRateLimiter(redis: Redis, keys: Keys) {
  return {
    /** Counts one hit; resolves how long to wait (ms) when over the limit, else 0. */
    async hit(bucket: string, key: string, limit: Limit, now: number): Promise<number> {
      const window = Math.floor(now / limit.windowMs);
      const k = keys.rateLimit(bucket, key, window);
      const [count] = (await redis.multi().incr(k).pExpire(k, limit.windowMs * 2).exec()) as unknown as [number];
      return count > limit.max ? (window + 1) * limit.windowMs - now : 0;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
