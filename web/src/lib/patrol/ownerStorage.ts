/**
 * What the patrol page keeps in localStorage for whom it reports (a device link or a patrol
 * account): its outbox, its identity as last answered (shown before the server answers again)
 * and its duty choice. Every access may throw (storage disabled, full): the page then works
 * from memory.
 */
import type { PatrolIdentity } from '@lianfang/server/events';

/** How the phone reports: a device link (identifier) or a signed-in patrol account (session cookie). */
export type PatrolAuth = { kind: 'device'; identifier: string } | { kind: 'session'; userId: string; name: string };

export type KeptStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The device identifier remembered from the last device link. */
export const DEVICE_STORAGE_KEY = 'lianfang.patrol.device';

export type KeptThing = 'queue' | 'identity' | 'offDuty';

export const ownerKey = (auth: PatrolAuth, what: KeptThing): string =>
  `lianfang.patrol.${what}.${auth.kind === 'device' ? `device:${auth.identifier}` : `user:${auth.userId}`}`;

/** The browser's localStorage, or undefined where reading it throws (some private modes). */
export function browserStorage(): KeptStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Forgets what the page kept for `auth` (its outbox, identity, duty choice): after the server refused it for good. */
export function forgetOwner(auth: PatrolAuth, store = browserStorage()): void {
  for (const what of ['queue', 'identity', 'offDuty'] as const) {
    try {
      store?.removeItem(ownerKey(auth, what));
    } catch {
      // Nothing kept.
    }
  }
}

/** The identity the server last answered, or null (none kept, or unreadable: wait for the server). */
export function readIdentity(auth: PatrolAuth, store = browserStorage()): PatrolIdentity | null {
  try {
    const raw = store?.getItem(ownerKey(auth, 'identity'));
    return raw ? (JSON.parse(raw) as PatrolIdentity) : null;
  } catch {
    return null;
  }
}

export function keepIdentity(auth: PatrolAuth, identity: PatrolIdentity, store = browserStorage()): void {
  try {
    store?.setItem(ownerKey(auth, 'identity'), JSON.stringify(identity));
  } catch {
    // Only a convenience for the next load.
  }
}

/** Whether the patrol was off duty when the page was last open (on duty unless it said otherwise). */
export function readOnDuty(auth: PatrolAuth, store = browserStorage()): boolean {
  try {
    return store?.getItem(ownerKey(auth, 'offDuty')) !== '1';
  } catch {
    return true;
  }
}

export function keepOnDuty(auth: PatrolAuth, onDuty: boolean, store = browserStorage()): void {
  try {
    if (onDuty) store?.removeItem(ownerKey(auth, 'offDuty'));
    else store?.setItem(ownerKey(auth, 'offDuty'), '1');
  } catch {
    // Holds for this page.
  }
}
