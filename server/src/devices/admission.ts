/**
 * Which position requests get as far as their fixes: per-address and per-device rate limits
 * (the access layer's fixed windows, shared by every server process, reserved in chunks) and,
 * for a device this process has not admitted lately, its identifier looked up before any
 * per-fix work. A device admitted before, within its limits, costs no Redis command here.
 *
 * Why a lookup here rather than the ingest script authenticating first and `near` being
 * computed after: that would cost every accepted request a second round trip to Redis. Here
 * the lookup goes out in the same write as any rate-limit counter due, and only for a device
 * not seen lately; a device admitted before goes straight on, and the ingest script still
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
/** A window's count is reserved from the shared limiter in this many parts at most. */
const PARTS = 30;

/**
 * One of the access layer's shared fixed windows, called once per `chunk` requests rather than
 * once per request: each call reserves `chunk` requests of the shared count for this process
 * (the limit is passed to the limiter in chunks). A key is held to its limit within one chunk
 * per process (1/30 of the limit; exact for limits under 60), a busy device costs Redis at most
 * about 30 counter updates a window, and once over the limit it is refused here without asking
 * Redis until its window ends. Counting every request was measured at ~9 µs of server and
 * ~3 µs of Redis CPU a counter, two a request, against ~95 + 38 µs for a whole single-fix ingest.
 */
function sharedWindow(limiter: RateLimiter, bucket: string, limit: Limit) {
  const chunk = Math.max(1, Math.floor(limit.max / PARTS));
  const inChunks: Limit = { max: Math.ceil(limit.max / chunk), windowMs: limit.windowMs };
  const local = new Map<string, { window: number; left: number; blocked: boolean; reserving?: Promise<unknown> }>();
  function take(key: string, now: number): number | Promise<number> {
    const window = Math.floor(now / limit.windowMs);
    let s = local.get(key);
    if (!s || s.window !== window) {
      if (local.size >= REMEMBERED) local.clear();
      s = { window, left: 0, blocked: false };
      local.set(key, s);
    }
    const state = s;
    if (state.blocked) return (window + 1) * limit.windowMs - now;
    if (state.left > 0) {
      state.left--;
      return 0;
    }
    // One reservation at a time: requests arriving meanwhile wait for it rather than each taking a chunk.
    if (state.reserving) return state.reserving.then(() => take(key, now));
    const reserving = limiter.hit(bucket, key, inChunks, now).then(
      (wait) => {
        state.reserving = undefined;
        if (wait > 0) state.blocked = true;
        else state.left += chunk - 1;
        return wait;
      },
      (err: unknown) => {
        state.reserving = undefined;
        throw err;
      },
    );
    state.reserving = reserving.catch(() => {});
    return reserving;
  }
  return {
    /** 0 when `key` may make one more request, else how long to wait (ms); a promise when Redis was asked. */
    take,
  };
}

export function createDeviceAdmission(deps: AdmissionDeps) {
  const { limiter, limits } = deps;
  const admitted = new Set<string>();
  const byAddress = sharedWindow(limiter, 'ingest-address', limits.perAddress);
  const byDevice = sharedWindow(limiter, 'ingest-device', limits.perDevice);
  const batchesByDevice = sharedWindow(limiter, 'ingest-batch', limits.batchesPerDevice);

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
      // Whatever needs Redis is issued together: node-redis sends it in one write, one round trip.
      const [overAddress, overDevice, overBatches, auth] = await Promise.all([
        byAddress.take(address, now),
        byDevice.take(hash, now),
        fixes > 1 ? batchesByDevice.take(hash, now) : 0,
        known ? undefined : deps.store.byHash(hash),
      ]);
      if (overAddress > 0) throw tooMany(reply, overAddress, 'address');
      if (auth?.status === 'unknown') throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
      if (auth?.status === 'revoked') throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
      if (!known) {
        if (admitted.size >= REMEMBERED) admitted.clear();
        admitted.add(hash);
      }
      if (overDevice > 0 || overBatches > 0) throw tooMany(reply, Math.max(overDevice, overBatches), 'device');
    },

    /** The ingest script refused a device admitted here before (revoked, or removed, since). */
    forget(hash: string): void {
      admitted.delete(hash);
    },
  };
}

export type DeviceAdmission = ReturnType<typeof createDeviceAdmission>;
