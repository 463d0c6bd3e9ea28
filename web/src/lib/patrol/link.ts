/**
 * What the patrol page reads from its address: the device link (`/patrol#device=<identifier>`)
 * and a scanned check-in QR code (`/patrol#checkin=<code>`). Both stay in the fragment, which the
 * browser never sends to a server; the page removes it from the address bar once read.
 */

export interface PatrolFragment {
  /** A device identifier, lower-cased (identifiers are case-insensitive). */
  device: string | null;
  /** A check-in QR code (`<locationId>.<generation>.<signature>`). */
  checkin: string | null;
}

/** Device identifiers: 26 characters of base32. Anything else is a mistyped or truncated link. */
const IDENTIFIER = /^[a-z2-7]{26}$/;

export function parseFragment(hash: string): PatrolFragment {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const device = params.get('device')?.trim().toLowerCase() ?? null;
  const checkin = params.get('checkin')?.trim() ?? null;
  return {
    device: device && IDENTIFIER.test(device) ? device : null,
    checkin: checkin ? checkin : null,
  };
}

/** Whether the fragment carried a device link that is not a well-formed identifier. */
export function hasMalformedDevice(hash: string): boolean {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get('device');
  return raw !== null && parseFragment(hash).device === null;
}

/** The key location a QR code names (its first dot-separated part), or null. */
export function locationOfCode(code: string): string | null {
  const head = code.split('.')[0];
  return head ? head : null;
}

type RandomSource = Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string };

/**
 * A check-in id the server accepts (8–64 of A–Z a–z 0–9 _ -), unique per press: a resend of the
 * same id is recognised and never counted twice. `crypto.randomUUID` exists only in secure
 * contexts, so plain-http intranets get 128 random bits in hex instead.
 */
export function newCheckInId(source: RandomSource = globalThis.crypto): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
