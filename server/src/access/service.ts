/**
 * Sign-in, sessions, the back-off after failed attempts and changes to users that must reach
 * live sockets. A wrong password and an unknown user take the same time and give the same answer.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { Clock } from '../clock.ts';
import { dummyHash, hashPassword, needsRehash, PRODUCTION_LOG_N, verifyPassword } from './passwords.ts';
import { publicUser, tokenHash, type AccessStore, type SessionPolicy, type StoredUser } from './store.ts';
import { createLoginBackoff } from './loginBackoff.ts';
import type { AuditLog } from './audit.ts';
import type { Role, SessionUser } from './roles.ts';

export type LoginResult =
  | { ok: true; user: SessionUser; token: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterMs: number };

/** Closes live sockets at once, in every server process (the socket plugin's Redis adapter carries it). */
export interface SocketCloser {
  /** Every socket of the user (disabled, role or scope changed). */
  user(userId: string): void;
  /** The sockets opened with these sessions (by token hash: logout, password change). */
  sessions(tokenHashes: string[]): void;
}

export type UserChange = Partial<Pick<StoredUser, 'name' | 'role' | 'organisationId' | 'teamId' | 'disabled'>> & { password?: string };

export function createAccessService(deps: {
  redis: Redis;
  keys: Keys;
  store: AccessStore;
  audit: AuditLog;
  clock: Clock;
  /** Idle lifetime of a session. */
  sessionTtlSeconds: number;
  /** Absolute maximum of a session (default: 72 h, or the idle lifetime when longer). */
  sessionMaxSeconds?: number;
  /** log2 of scrypt's N for new hashes: production's unless a test lowers it. */
  passwordLogN?: number;
  sockets?: SocketCloser;
}) {
  const { redis, keys, store, audit, clock } = deps;
  const logN = deps.passwordLogN ?? PRODUCTION_LOG_N;
  const policy: SessionPolicy = { ttlSeconds: deps.sessionTtlSeconds, maxSeconds: deps.sessionMaxSeconds ?? Math.max(72 * 3600, deps.sessionTtlSeconds) };
  const backoff = createLoginBackoff(redis, keys);
  const noSockets: SocketCloser = { user: () => {}, sessions: () => {} };
  const sockets = deps.sockets ?? noSockets;

  /** A hash made with older, cheaper parameters is replaced now that the password is known. */
  async function rehashIfOld(user: StoredUser, password: string): Promise<void> {
    if (!needsRehash(user.passwordHash, logN)) return;
    const passwordHash = await hashPassword(password, logN);
    const current = await store.getUser(user.id);
    // Changed meanwhile (an admin set a new password): leave it.
    if (current && current.passwordHash === user.passwordHash) await store.saveUser({ ...current, passwordHash });
  }

  return {
    store,
    policy,
    async login(username: string, password: string, ip: string): Promise<LoginResult> {
      const name = username.toLowerCase();
      const wait = await backoff.wait(name, ip, clock.now());
      if (wait > 0) return { ok: false, reason: 'locked', retryAfterMs: wait };

      const user = await store.findByUsername(name);
      const valid = await verifyPassword(password, user?.passwordHash ?? dummyHash(logN));
      if (!user || !valid || user.disabled) {
        const failures = await backoff.fail(name, ip, clock.now());
        await audit.record({ at: clock.now(), actor: name, role: user?.role ?? '', action: 'login_failed', target: name, ip, detail: { failures } });
        return { ok: false, reason: 'invalid' };
      }
      await backoff.succeed(name, ip);
      await rehashIfOld(user, password);
      const token = await store.createSession(user.id, policy, clock.now());
      await audit.record({ at: clock.now(), actor: user.username, role: user.role, action: 'login', target: user.username, ip, detail: {} });
      return { ok: true, user: publicUser(user), token };
    },

    /** Ends this session and closes the sockets opened with it (the user's other devices stay signed in). */
    async logout(token: string, user: SessionUser, ip: string): Promise<void> {
      await store.deleteSession(token, user.id);
      sockets.sessions([tokenHash(token)]);
      await audit.record({ at: clock.now(), actor: user.username, role: user.role, action: 'logout', target: user.username, ip, detail: {} });
    },

    async userForToken(token: string | undefined): Promise<SessionUser | undefined> {
      if (!token) return undefined;
      const user = await store.sessionUser(token, policy, clock.now());
      return user ? publicUser(user) : undefined;
    },

    async createUser(input: { username: string; name: string; role: Role; organisationId: string | null; teamId: string | null; password: string }): Promise<StoredUser | false> {
      const { password, ...rest } = input;
      return store.createUser({ ...rest, passwordHash: await hashPassword(password, logN) }, clock.now());
    },

    /**
     * Applies an admin's change. A new password ends the user's other sessions (`keepToken`: the
     * caller's own, when changing their own password); disabling ends them all; a new role or
     * scope closes the user's sockets, which reconnect with what they may now see.
     */
    async changeUser(user: StoredUser, change: UserChange, keepToken?: string): Promise<StoredUser> {
      const { password, ...fields } = change;
      const next: StoredUser = { ...user, ...fields };
      if (password) next.passwordHash = await hashPassword(password, logN);
      await store.saveUser(next);
      if (next.disabled) {
        await store.endSessions(user.id);
        sockets.user(user.id);
        return next;
      }
      if (password) sockets.sessions(await store.endSessions(user.id, keepToken));
      const scopeChanged = next.role !== user.role || next.organisationId !== user.organisationId || next.teamId !== user.teamId;
      if (scopeChanged) sockets.user(user.id);
      return next;
    },

    /** An admin's unlock: clears every sign-in back-off of the name; resolves how many addresses were held. */
    async clearLockout(username: string): Promise<number> {
      return backoff.clear(username.toLowerCase());
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
