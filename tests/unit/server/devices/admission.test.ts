import { describe, expect, it } from 'vitest';
import type { FastifyReply } from 'fastify';
import type { Limit, RateLimiter } from '../../../../server/src/access/rateLimit.ts';
import { createDeviceAdmission } from '../../../../server/src/devices/admission.ts';

/** The shared limiter's arithmetic in memory, counting its calls (what each would cost Redis). */
function countingLimiter() {
  const counts = new Map<string, number>();
  const calls: string[] = [];
  const limiter: RateLimiter = {
    async hit(bucket: string, key: string, limit: Limit, now: number) {
      const window = Math.floor(now / limit.windowMs);
      const k = `${bucket}:${key}:${window}`;
      calls.push(bucket);
      const count = (counts.get(k) ?? 0) + 1;
      counts.set(k, count);
      return count > limit.max ? (window + 1) * limit.windowMs - now : 0;
    },
  };
  return { limiter, calls };
}

const reply = { header: () => reply } as unknown as FastifyReply;
const known = { byHash: async () => ({ status: 'ok' as const, deviceId: 'd', teamId: 't', hash: 'h' }) };

describe(createDeviceAdmission.name, () => {
  const limits = { perDevice: { max: 300, windowMs: 60_000 }, batchesPerDevice: { max: 120, windowMs: 3_600_000 }, perAddress: { max: 12_000, windowMs: 60_000 } };

  it('lets a device report its 300 a minute with about 30 counter updates, not 300, then refuses it without asking Redis', async () => {
    const { limiter, calls } = countingLimiter();
    let now = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    const admission = createDeviceAdmission({ limiter, store: known, now: () => now, limits });
    for (let i = 0; i < 300; i++) await admission.admit('h', '10.0.0.1', 1, 'body.deviceId', reply);
    expect(calls.filter((b) => b === 'ingest-device')).toHaveLength(30);
    expect(calls.filter((b) => b === 'ingest-address')).toHaveLength(1);
    await expect(admission.admit('h', '10.0.0.1', 1, 'body.deviceId', reply)).rejects.toMatchObject({ statusCode: 429 });
    const deviceCalls = () => calls.filter((b) => b === 'ingest-device').length;
    const before = deviceCalls();
    for (let i = 0; i < 1000; i++) await expect(admission.admit('h', '10.0.0.1', 1, 'body.deviceId', reply)).rejects.toMatchObject({ statusCode: 429 });
    expect(deviceCalls()).toBe(before);
    now += 60_000;
    await admission.admit('h', '10.0.0.1', 1, 'body.deviceId', reply);
  });

  it('holds a device reporting through two server processes to its limit within a chunk each', async () => {
    const { limiter } = countingLimiter();
    const now = 1_800_000_000_000;
    const a = createDeviceAdmission({ limiter, store: known, now: () => now, limits });
    const b = createDeviceAdmission({ limiter, store: known, now: () => now, limits });
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const ok = await (i % 2 ? a : b).admit('h', '10.0.0.1', 1, 'body.deviceId', reply).then(() => true, () => false);
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(300);
    expect(accepted).toBeLessThanOrEqual(300 + 2 * 10);
  });

  it('lets a burst of 256 concurrent requests from one address through on one reservation (it once refused them all)', async () => {
    const { limiter, calls } = countingLimiter();
    const admission = createDeviceAdmission({ limiter, store: known, now: () => 1_800_000_000_000, limits: { ...limits, perAddress: { max: 100_000_000, windowMs: 60_000 } } });
    const answers = await Promise.allSettled(Array.from({ length: 256 }, (_, i) => admission.admit(`h${i % 16}`, '127.0.0.1', 1, 'body.deviceId', reply)));
    expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    expect(calls.filter((b) => b === 'ingest-address')).toHaveLength(1);
  });

  it('looks a device up once, then no more while it keeps being admitted', async () => {
    const { limiter } = countingLimiter();
    let lookups = 0;
    const admission = createDeviceAdmission({ limiter, store: { byHash: async () => (lookups++, known.byHash()) }, now: () => 1_800_000_000_000, limits });
    for (let i = 0; i < 10; i++) await admission.admit('h', '10.0.0.1', 1, 'body.deviceId', reply);
    expect(lookups).toBe(1);
    admission.forget('h');
    await admission.admit('h', '10.0.0.1', 1, 'body.deviceId', reply);
    expect(lookups).toBe(2);
  });
});
