/**
 * Redis storage of wall displays. The token is random (32 bytes, base64url), answered once and
 * stored only as its SHA-256, like session tokens: a Redis dump signs no screen in. A display's
 * last read is written at most once a minute per process, so a wall polling every few seconds
 * costs Redis nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { tokenHash } from '../access/store.ts';
import type { DisplayView, StoredDisplay } from './schemas.ts';

/** The cookie a wall's browser keeps instead of a session (httpOnly, SameSite=Strict). */
export const DISPLAY_COOKIE = 'lf_display';
/** How long the cookie lives: browsers cap cookies at 400 days; revocation, not age, ends a display. */
export const DISPLAY_COOKIE_MAX_AGE_S = 400 * 86_400;
const SEEN_EVERY_MS = 60_000;

export function newDisplayToken(): string {
  return randomBytes(32).toString('base64url');
}

export function createDisplayStore(redis: Redis, keys: Keys) {
  /** Last "seen" written by this process, per display. Bounded by the number of displays. */
  const seenWritten = new Map<string, number>();

  async function get(id: string): Promise<StoredDisplay | undefined> {
    const json = await redis.hGet(keys.displays, id);
    return json ? (JSON.parse(json) as StoredDisplay) : undefined;
  }

  return {
    get,
    /**
     * Stores the display under a new token (its hash). The display's earlier token, if any (a
     * retried create whose first answer was lost), stops working: only the last URL answered signs in.
     */
    async save(display: Omit<StoredDisplay, 'tokenHash'>, token: string, previous?: StoredDisplay): Promise<StoredDisplay> {
      const stored: StoredDisplay = { ...display, tokenHash: tokenHash(token) };
      const m = redis.multi().hSet(keys.displays, stored.id, JSON.stringify(stored)).hSet(keys.displayTokens, stored.tokenHash, stored.id);
      if (previous) m.hDel(keys.displayTokens, previous.tokenHash);
      await m.exec();
      return stored;
    },
    /** Marks it revoked and forgets its token. */
    async revoke(display: StoredDisplay, now: number): Promise<StoredDisplay> {
      const revoked: StoredDisplay = { ...display, revokedAt: now };
      await redis.multi().hSet(keys.displays, display.id, JSON.stringify(revoked)).hDel(keys.displayTokens, display.tokenHash).hDel(keys.displaySeen, display.id).exec();
      seenWritten.delete(display.id);
      return revoked;
    },
    /** The displays not revoked, oldest first, with their last read. */
    async list(): Promise<DisplayView[]> {
      const [rows, seen] = await Promise.all([redis.hVals(keys.displays), redis.hGetAll(keys.displaySeen)]);
      return rows
        .map((r) => JSON.parse(r) as StoredDisplay)
        .filter((d) => d.revokedAt === null)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((d) => view(d, seen[d.id] ? Number(seen[d.id]) : null));
    },
    async lastSeen(id: string): Promise<number | null> {
      const v = await redis.hGet(keys.displaySeen, id);
      return v ? Number(v) : null;
    },
    /** The display a token signs in, when it is not revoked. */
    async byToken(token: string): Promise<StoredDisplay | undefined> {
      const id = await redis.hGet(keys.displayTokens, tokenHash(token));
      if (!id) return undefined;
      const d = await get(id);
      return d && d.revokedAt === null ? d : undefined;
    },
    /** Records a read, at most once a minute per process. */
    async touch(id: string, now: number): Promise<void> {
      const last = seenWritten.get(id);
      if (last !== undefined && now - last < SEEN_EVERY_MS) return;
      seenWritten.set(id, now);
      await redis.hSet(keys.displaySeen, id, String(now));
    },
  };
}

export function view(d: StoredDisplay, lastSeenAt: number | null): DisplayView {
  return { id: d.id, name: d.name, scope: d.scope, createdAt: d.createdAt, createdBy: d.createdBy, lastSeenAt };
}

export type DisplayStore = ReturnType<typeof createDisplayStore>;
