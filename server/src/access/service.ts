/**
 * Sign-in, sessions and the back-off after failed attempts. A wrong password and an unknown
 * user take the same time and give the same answer.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { Clock } from '../clock.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { publicUser, type AccessStore, type StoredUser } from './store.ts';
import type { AuditLog } from './audit.ts';
import type { Role, SessionUser } from './roles.ts';

/** Free attempts before the back-off starts; then 1 s, 2 s, 4 s … up to 15 minutes. */
export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60_000;

export type LoginResult =
  | { ok: true; user: SessionUser; token: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterMs: number };

export function createAccessService(deps: { redis: Redis; keys: Keys; store: AccessStore; audit: AuditLog; clock: Clock; sessionTtlSeconds: number }) {
  const { redis, keys, store, audit, clock } = deps;

  return {
    store,
    async login(username: string, password: string, ip: string): Promise<LoginResult> {
      const name = username.toLowerCase();
      const lockTtl = await redis.pTTL(keys.loginLock(name));
      if (lockTtl > 0) return { ok: false, reason: 'locked', retryAfterMs: lockTtl };

      const user = await store.findByUsername(name);
      const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !valid || user.disabled) {
        const failures = await redis.incr(keys.loginFailures(name));
        await redis.expire(keys.loginFailures(name), 3600);
        await audit.record({ at: clock.now(), actor: name, role: user?.role ?? '', action: 'login_failed', target: name, ip, detail: { failures } });
        if (failures >= FREE_ATTEMPTS) {
          const lockMs = Math.min(1000 * 2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_MS);
          await redis.set(keys.loginLock(name), '1', { PX: lockMs });
        }
        return { ok: false, reason: 'invalid' };
      }
      await redis.del([keys.loginFailures(name), keys.loginLock(name)]);
      const token = await store.createSession(user.id, deps.sessionTtlSeconds, clock.now());
      await audit.record({ at: clock.now(), actor: user.username, role: user.role, action: 'login', target: user.username, ip, detail: {} });
      return { ok: true, user: publicUser(user), token };
    },

    async logout(token: string, user: SessionUser, ip: string): Promise<void> {
      await store.deleteSession(token);
      await audit.record({ at: clock.now(), actor: user.username, role: user.role, action: 'logout', target: user.username, ip, detail: {} });
    },

    async userForToken(token: string | undefined): Promise<SessionUser | undefined> {
      if (!token) return undefined;
      const user = await store.sessionUser(token);
      return user ? publicUser(user) : undefined;
    },

    async createUser(input: { username: string; name: string; role: Role; organisationId: string | null; teamId: string | null; password: string }): Promise<StoredUser | false> {
      const { password, ...rest } = input;
      return store.createUser({ ...rest, passwordHash: await hashPassword(password) }, clock.now());
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
