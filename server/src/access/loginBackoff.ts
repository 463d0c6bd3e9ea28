/**
 * The back-off after failed sign-ins. It is keyed by name AND address, so twenty wrong passwords
 * for `dispatcher` from one address hold that address only and the real dispatcher elsewhere
 * signs in; a looser limit per address across all names stops password spraying. An admin can
 * clear a name's back-offs.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

/** Free attempts for one name from one address before the back-off starts; then 1 s, 2 s, 4 s … up to 15 minutes. */
export const FREE_ATTEMPTS = 5;
/** Free failed attempts from one address for any names (an office behind one NAT mistypes too). */
export const FREE_ADDRESS_ATTEMPTS = 20;
const MAX_LOCK_MS = 15 * 60_000;
/** Failures are forgotten an hour after the last one. */
const MEMORY_S = 3600;

const lockMs = (failures: number, free: number) => (failures < free ? 0 : Math.min(1000 * 2 ** (failures - free), MAX_LOCK_MS));

export function createLoginBackoff(redis: Redis, keys: Keys) {
  return {
    /** How long (ms) a sign-in for `name` from `ip` must wait at `now` (the app's clock); 0 when it may try. */
    async wait(name: string, ip: string, now: number): Promise<number> {
      // A lock holds the instant it ends on the app's clock, like every other deadline here.
      const until = await redis.mGet([keys.loginLock(name, ip), keys.loginAddressLock(ip)]);
      return Math.max(0, ...until.map((u) => (u ? Number(u) - now : 0)));
    },

    /** Counts a failed sign-in; resolves the failures in a row for this name at this address. */
    async fail(name: string, ip: string, now: number): Promise<number> {
      const replies = (await redis
        .multi()
        .incr(keys.loginFailures(name, ip))
        .expire(keys.loginFailures(name, ip), MEMORY_S)
        .incr(keys.loginAddressFailures(ip))
        .expire(keys.loginAddressFailures(ip), MEMORY_S)
        .sAdd(keys.loginAddresses(name), ip)
        .expire(keys.loginAddresses(name), MEMORY_S)
        .exec()) as unknown as number[];
      const failures = Number(replies[0]);
      const own = lockMs(failures, FREE_ATTEMPTS);
      const address = lockMs(Number(replies[2]), FREE_ADDRESS_ATTEMPTS);
      if (own > 0 || address > 0) {
        const locks = redis.multi();
        // Kept as long as the failures are remembered; `wait` compares the end with the clock.
        if (own > 0) locks.set(keys.loginLock(name, ip), String(now + own), { EX: MEMORY_S });
        if (address > 0) locks.set(keys.loginAddressLock(ip), String(now + address), { EX: MEMORY_S });
        await locks.exec();
      }
      return failures;
    },

    /** A good sign-in forgets this name's failures at this address (not the address's count across names). */
    async succeed(name: string, ip: string): Promise<void> {
      await redis.multi().del([keys.loginFailures(name, ip), keys.loginLock(name, ip)]).sRem(keys.loginAddresses(name), ip).exec();
    },

    /** Clears every back-off of `name` (an admin's unlock); resolves how many addresses were held. */
    async clear(name: string): Promise<number> {
      const addresses = await redis.sMembers(keys.loginAddresses(name));
      const doomed = addresses.flatMap((ip) => [keys.loginFailures(name, ip), keys.loginLock(name, ip)]);
      await redis.del([...doomed, keys.loginAddresses(name)]);
      return addresses.length;
    },
  };
}

export type LoginBackoff = ReturnType<typeof createLoginBackoff>;
