/**
 * QR codes posted at key locations: `<locationId>.<generation>.<signature>`, the signature an
 * HMAC under a secret kept in Redis (created once, shared by every process). Rotating a
 * location's code bumps its generation, so a photographed old code stops working; with a
 * lifetime (CHECKIN_QR_ROTATE_DAYS) a generation also expires that long after it was issued,
 * and fetching the code then issues the next one (`lua/qrGeneration.lua`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { runQrGeneration } from './checkinScripts.ts';

const SECRET_FIELD = 'secret';

export interface QrCode {
  code: string;
  generation: number;
  /** When this code stops working, epoch ms; null when codes never expire. */
  expiresAt: number | null;
}

/** Why a scanned code does not check in: not a genuine current code, or one whose time ran out. */
export type QrVerdict = 'ok' | 'invalid' | 'expired';

export function createQrCodes(redis: Redis, keys: Keys, options: { now: () => number; lifetimeMs: number }) {
  const { lifetimeMs } = options;
  let secret: Buffer | undefined;

  async function key(): Promise<Buffer> {
    if (secret) return secret;
    await redis.hSetNX(keys.checkinQr, SECRET_FIELD, randomBytes(32).toString('base64'));
    secret = Buffer.from((await redis.hGet(keys.checkinQr, SECRET_FIELD))!, 'base64');
    return secret;
  }

  const sign = (k: Buffer, locationId: string, gen: number) =>
    createHmac('sha256', k).update(`lianfang-checkin:${locationId}:${gen}`).digest('base64url').slice(0, 22);

  const expiry = (issuedAt: number) => (lifetimeMs > 0 ? issuedAt + lifetimeMs : null);

  async function issue(locationId: string, mode: 'current' | 'rotate'): Promise<QrCode> {
    const { generation, issuedAt } = await runQrGeneration(redis, keys, { locationId, now: options.now(), lifetimeMs, mode });
    return { code: `${locationId}.${generation}.${sign(await key(), locationId, generation)}`, generation, expiresAt: expiry(issuedAt) };
  }

  return {
    /** The location's current code; an expired one is replaced by the next generation first. */
    code: (locationId: string): Promise<QrCode> => issue(locationId, 'current'),

    /** Invalidates the location's posted code; resolves the new one. */
    rotate: (locationId: string): Promise<QrCode> => issue(locationId, 'rotate'),

    /** The location a code names, or undefined when it is malformed. */
    locationOf(code: string): string | undefined {
      const parts = code.split('.');
      return parts.length >= 3 ? parts.slice(0, -2).join('.') : undefined;
    },

    /** Is `code` the current, genuine code of its location, and still within its lifetime? */
    async verify(code: string): Promise<QrVerdict> {
      const parts = code.split('.');
      if (parts.length < 3) return 'invalid';
      const signature = parts.pop()!;
      const gen = Number(parts.pop());
      const locationId = parts.join('.');
      if (!Number.isInteger(gen)) return 'invalid';
      // The signature first: only a genuine code's location gets to Redis.
      const expected = Buffer.from(sign(await key(), locationId, gen));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      const now = options.now();
      const current = await runQrGeneration(redis, keys, { locationId, now, lifetimeMs, mode: 'read' });
      if (gen !== current.generation) return 'invalid';
      const expiresAt = expiry(current.issuedAt);
      return expiresAt !== null && now >= expiresAt ? 'expired' : 'ok';
    },
  };
}

export type QrCodes = ReturnType<typeof createQrCodes>;
