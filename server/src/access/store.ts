/** Redis storage of users and sessions. Session tokens are stored hashed: a Redis dump leaks none. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { Role, SessionUser } from './roles.ts';

export interface StoredUser extends SessionUser {
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

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
    async createSession(userId: string, ttlSeconds: number, now: number): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await redis.set(keys.session(tokenHash(token)), JSON.stringify({ userId, createdAt: now }), { EX: ttlSeconds });
      return token;
    },
    async sessionUser(token: string): Promise<StoredUser | undefined> {
      const json = await redis.get(keys.session(tokenHash(token)));
      if (!json) return undefined;
      const user = await getUser((JSON.parse(json) as { userId: string }).userId);
      return user && !user.disabled ? user : undefined;
    },
    async deleteSession(token: string): Promise<void> {
      await redis.del(keys.session(tokenHash(token)));
    },
  };
}

export type AccessStore = ReturnType<typeof createAccessStore>;
