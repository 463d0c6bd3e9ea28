/**
 * Slow password hashing with scrypt from node:crypto (no native add-on to build). A stored hash
 * records its parameters (`scrypt$N$r$p$salt$hash`), so hashes made with an older, cheaper cost
 * still verify and are upgraded at the next sign-in ({@link needsRehash}).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** log2 of scrypt's N in production: 2^17, as OWASP asks (128 MiB and about a second per hash). */
export const PRODUCTION_LOG_N = 17;
const R = 8;
const P = 1;
const KEYLEN = 32;
/** Largest N a stored hash may ask for (a tampered hash must not make us allocate gigabytes). */
const MAX_LOG_N = 20;

/** scrypt needs 128·N·r bytes; Node refuses above 32 MiB unless told, so allow that plus headroom. */
const maxmem = (n: number, r: number, p: number) => 128 * n * r * p + 32 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, base64url parts. `logN` is lowered only by tests (config `passwordLogN`). */
export async function hashPassword(password: string, logN = PRODUCTION_LOG_N): Promise<string> {
  const n = 2 ** logN;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N: n, r: R, p: P, maxmem: maxmem(n, R, P) });
  return ['scrypt', n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, nText, rText, pText, salt, hash] = stored.split('$');
  const [n, r, p] = [Number(nText), Number(rText), Number(pText)];
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  if (!Number.isInteger(n) || n < 2 || n > 2 ** MAX_LOG_N || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 4)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: n, r, p, maxmem: maxmem(n, r, p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Was `stored` made with weaker parameters than `logN` asks? Then it is re-hashed at sign-in. */
export function needsRehash(stored: string, logN = PRODUCTION_LOG_N): boolean {
  const [scheme, n, r, p, , hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return true;
  return Number(n) < 2 ** logN || Number(r) < R || Number(p) !== P || Buffer.from(hash, 'base64url').length < KEYLEN;
}

/** A hash to verify against when the user does not exist, at the current cost, so timing does not tell. */
export function dummyHash(logN = PRODUCTION_LOG_N): string {
  return `scrypt$${2 ** logN}$${R}$${P}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
}
