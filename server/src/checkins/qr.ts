/**
 * QR codes posted at key locations: `<locationId>.<generation>.<signature>`, the signature an
 * HMAC under a secret kept in Redis (created once, shared by every process). Rotating a
 * location's code bumps its generation, so a photographed old code stops working.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

const SECRET_FIELD = 'secret';
const genField = (locationId: string) => `gen:${locationId}`;

export function createQrCodes(redis: Redis, keys: Keys) {
  let secret: Buffer | undefined;

  async function key(): Promise<Buffer> {
    if (secret) return secret;
    await redis.hSetNX(keys.checkinQr, SECRET_FIELD, randomBytes(32).toString('base64'));
    secret = Buffer.from((await redis.hGet(keys.checkinQr, SECRET_FIELD))!, 'base64');
    return secret;
  }

  async function generation(locationId: string): Promise<number> {
    return Number((await redis.hGet(keys.checkinQr, genField(locationId))) ?? 1);
  }

  const sign = (k: Buffer, locationId: string, gen: number) =>
    createHmac('sha256', k).update(`lianfang-checkin:${locationId}:${gen}`).digest('base64url').slice(0, 22);

  return {
    /** The location's current code. */
    async code(locationId: string): Promise<{ code: string; generation: number }> {
      const gen = await generation(locationId);
      return { code: `${locationId}.${gen}.${sign(await key(), locationId, gen)}`, generation: gen };
    },

    /** Invalidates the location's posted code; resolves the new one. */
    async rotate(locationId: string): Promise<{ code: string; generation: number }> {
      const gen = await redis.hIncrBy(keys.checkinQr, genField(locationId), 1);
      // A location never rotated is at generation 1: the first rotation must move past it.
      const next = gen === 1 ? await redis.hIncrBy(keys.checkinQr, genField(locationId), 1) : gen;
      return { code: `${locationId}.${next}.${sign(await key(), locationId, next)}`, generation: next };
    },

    /** The location a code names, or undefined when it is malformed. */
    locationOf(code: string): string | undefined {
      const parts = code.split('.');
      return parts.length >= 3 ? parts.slice(0, -2).join('.') : undefined;
    },

    /** Is `code` the current, genuine code of its location? */
    async verify(code: string): Promise<boolean> {
      const parts = code.split('.');
      if (parts.length < 3) return false;
      const signature = parts.pop()!;
      const gen = Number(parts.pop());
      const locationId = parts.join('.');
      if (!Number.isInteger(gen) || gen !== (await generation(locationId))) return false;
      const expected = Buffer.from(sign(await key(), locationId, gen));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export type QrCodes = ReturnType<typeof createQrCodes>;
