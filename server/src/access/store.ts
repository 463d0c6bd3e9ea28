/**
 * Redis storage of users and sessions. Session tokens are stored hashed: a Redis dump leaks none.
 * A session slides: a request renews its idle lifetime (at most every few minutes), never past
 * its absolute maximum. Each user's sessions are indexed, so a password change can end them.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { Role, SessionUser } from './roles.ts';

export interface StoredUser extends SessionUser {
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** How long a session lives: idle lifetime (renewed on use) and absolute maximum, seconds. */
export interface SessionPolicy {
  ttlSeconds: number;
  maxSeconds: number;
}

interface SessionRecord {
  userId: string;
  createdAt: number;
  /** Last renewal (app clock); absent in sessions made before sliding renewal. */
  renewedAt?: number;
}

/** A used session is renewed when its last renewal is older than this (or a quarter of its idle lifetime). */
const RENEW_AFTER_MS = 5 * 60_000;

export function publicUser(u: StoredUser): SessionUser {
  return { id: u.id, username: u.username, name: u.name, role: u.role, organisationId: u.organisationId, teamId: u.teamId };
}

export function createAccessStore(redis: Redis, keys: Keys) {
  async function getUser(id: string): Promise<StoredUser | undefined> {
    const json = await redis.hGet(keys.users, id);
    return json ? (JSON.parse(json) as StoredUser) : undefined;
  }
  return {
    getUser,
    async findByUsername(username: string): Promise<StoredUser | undefined> {
      const id = await redis.hGet(keys.usersByName, username.toLowerCase());
      return id ? getUser(id) : undefined;
    },
    async listUsers(): Promise<StoredUser[]> {
      return Object.values(await redis.hGetAll(keys.users))
        .map((j) => JSON.parse(j) as StoredUser)
        .sort((a, b) => a.username.localeCompare(b.username));
    },
    /** Creates a user; resolves false (writing nothing) when the username is taken. */
    async createUser(input: { username: string; name: string; role: Role; organisationId: string | null; teamId: string | null; passwordHash: string }, now: number): Promise<StoredUser | false> {
      const user: StoredUser = { id: randomUUID(), ...input, username: input.username.toLowerCase(), disabled: false, createdAt: now };
      const claimed = await redis.hSetNX(keys.usersByName, user.username, user.id);
      if (!claimed) return false;
      await redis.hSet(keys.users, user.id, JSON.stringify(user));
      return user;
    },
    async saveUser(user: StoredUser): Promise<void> {
      await redis.hSet(keys.users, user.id, JSON.stringify(user));
    },
    async createSession(userId: string, policy: SessionPolicy, now: number): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const hash = tokenHash(token);
      const record: SessionRecord = { userId, createdAt: now, renewedAt: now };
      const maxMs = policy.maxSeconds * 1000;
      await redis
        .multi()
        .set(keys.session(hash), JSON.stringify(record), { EX: policy.ttlSeconds })
        .zAdd(keys.userSessions(userId), { score: now, value: hash })
        .zRemRangeByScore(keys.userSessions(userId), '-inf', now - maxMs)
        .pExpire(keys.userSessions(userId), maxMs)
        .exec();
      return token;
    },

    /** The session's user (not disabled), renewing the session when due; undefined when it has ended. */
    async sessionUser(token: string, policy: SessionPolicy, now: number): Promise<StoredUser | undefined> {
      const key = keys.session(tokenHash(token));
      const json = await redis.get(key);
      if (!json) return undefined;
      const record = JSON.parse(json) as SessionRecord;
      const endsAt = record.createdAt + policy.maxSeconds * 1000;
      if (now >= endsAt) {
        await redis.multi().del(key).zRem(keys.userSessions(record.userId), tokenHash(token)).exec();
        return undefined;
      }
      const user = await getUser(record.userId);
      if (!user || user.disabled) return undefined;
      const renewAfter = Math.min(RENEW_AFTER_MS, (policy.ttlSeconds * 1000) / 4);
      if (now - (record.renewedAt ?? record.createdAt) >= renewAfter) {
        // XX: a session ended meanwhile (logout) is not brought back.
        const px = Math.max(1, Math.min(policy.ttlSeconds * 1000, endsAt - now));
        await redis.set(key, JSON.stringify({ ...record, renewedAt: now }), { XX: true, PX: px });
      }
      return user;
    },

    async deleteSession(token: string, userId: string): Promise<void> {
      const hash = tokenHash(token);
      await redis.multi().del(keys.session(hash)).zRem(keys.userSessions(userId), hash).exec();
    },

    /** Ends every session of the user but `keepToken`'s; resolves the ended sessions' token hashes. */
    async endSessions(userId: string, keepToken?: string): Promise<string[]> {
      const keep = keepToken ? tokenHash(keepToken) : undefined;
      const doomed = (await redis.zRange(keys.userSessions(userId), 0, -1)).filter((h) => h !== keep);
      if (doomed.length === 0) return [];
      await redis
        .multi()
        .del(doomed.map((h) => keys.session(h)))
        .zRem(keys.userSessions(userId), doomed)
        .exec();
      return doomed;
    },
  };
}

export type AccessStore = ReturnType<typeof createAccessStore>;
