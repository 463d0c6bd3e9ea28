/**
 * Which position requests get as far as their fixes: per-address and per-device rate limits
 * (the access layer's fixed windows, shared by every server process) and, for a device this
 * process has not admitted lately, its identifier looked up before any per-fix work.
 *
 * Why a lookup here rather than the ingest script authenticating first and `near` being
 * computed after: that would cost every accepted request a second round trip to Redis. Here
 * the lookup goes out in the same write as the rate-limit counters, and only for a device not
 * seen lately; a device admitted before goes straight on, and the ingest script still
 * authenticates it (revoked since: the script answers 403 and the device is forgotten here,
 * so its next request is refused before its fixes are looked at).
 */
import type { FastifyReply } from 'fastify';
import type { Limit, RateLimiter } from '../access/rateLimit.ts';
import { HttpError } from '../plugins/errors.ts';
import type { DeviceStore } from './store.ts';

export interface AdmissionLimits {
  /** Requests per device (a fix or a batch alike). */
  perDevice: Limit;
  /** Requests of more than one fix per device. */
  batchesPerDevice: Limit;
  /** Requests per address, every device behind it together. */
  perAddress: Limit;
}

export interface AdmissionDeps {
  limiter: RateLimiter;
  store: Pick<DeviceStore, 'byHash'>;
  now(): number;
  limits: AdmissionLimits;
}

/** Devices remembered as admitted; past this many the memory starts over (each then looked up once more). */
const REMEMBERED = 50_000;

export function createDeviceAdmission(deps: AdmissionDeps) {
  const { limiter, limits } = deps;
  const admitted = new Set<string>();

  function tooMany(reply: FastifyReply, waitMs: number, who: string): HttpError {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    reply.header('retry-after', seconds);
    return new HttpError(429, `too many position requests from this ${who}, retry in ${seconds} s`);
  }

  return {
    /**
     * Resolves when the request may go on to its fixes; throws 429 (address over its limit),
     * 401 (unknown device), 403 (revoked device) or 429 (device over its limit), in that order.
     */
    async admit(hash: string, address: string, fixes: number, deviceField: string, reply: FastifyReply): Promise<void> {
      const now = deps.now();
      const known = admitted.has(hash);
      // Issued together: node-redis sends them in one write, one round trip in all.
      const [byAddress, byDevice, byBatch, auth] = await Promise.all([
        limiter.hit('ingest-address', address, limits.perAddress, now),
        limiter.hit('ingest-device', hash, limits.perDevice, now),
        fixes > 1 ? limiter.hit('ingest-batch', hash, limits.batchesPerDevice, now) : 0,
        known ? undefined : deps.store.byHash(hash),
      ]);
      if (byAddress > 0) throw tooMany(reply, byAddress, 'address');
      if (auth?.status === 'unknown') throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
      if (auth?.status === 'revoked') throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
      if (!known) {
        if (admitted.size >= REMEMBERED) admitted.clear();
        admitted.add(hash);
      }
      if (byDevice > 0 || byBatch > 0) throw tooMany(reply, Math.max(byDevice, byBatch), 'device');
    },

    /** The ingest script refused a device admitted here before (revoked, or removed, since). */
    forget(hash: string): void {
      admitted.delete(hash);
    },
  };
}

export type DeviceAdmission = ReturnType<typeof createDeviceAdmission>;
