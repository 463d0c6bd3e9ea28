/**
 * A backup taken while writers keep writing is one moment of the deployment: transactions that
 * move counts between keys, create keys and delete them are seen whole or not at all, across keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { backup } from '../../../scripts/lib/backup/snapshot.ts';
import { restore } from '../../../scripts/lib/backup/restore.ts';

const COUNTERS = 3000;
const P = 'busy:';
/** Its keys, as the app names them: the prefix with its hash tag (server/src/keys.ts). */
const K = '{busy}:';

describe('npm run backup while the app writes', () => {
  let source: TestRedis;
  let target: TestRedis;
  let dir: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRedis(), startRedis()]);
    dir = mkdtempSync(join(tmpdir(), 'lf-backup-'));
  });
  afterAll(async () => {
    await Promise.all([source?.destroy(), target?.destroy()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('restores a deployment whose every transaction is whole: counts moved between keys still sum to zero, created keys match their counter', async () => {
    const writer = createClient({ url: source.url });
    await writer.connect();
    const seed = writer.multi();
    for (let i = 0; i < COUNTERS; i++) seed.set(`${K}c:${i}`, '0');
    seed.set(`${K}count`, '0');
    await seed.exec();
    let stop = false;
    let transactions = 0;
    const made: number[] = [];
    let seq = 0;
    const writing = (async () => {
      while (!stop) {
        const batch: Array<Promise<unknown>> = [];
        for (let n = 0; n < 40; n++) {
          const r = Math.random();
          if (r < 0.6) {
            const i = Math.floor(Math.random() * COUNTERS);
            const j = Math.floor(Math.random() * COUNTERS);
            batch.push(writer.multi().decrBy(`${K}c:${i}`, 7).incrBy(`${K}c:${j}`, 7).exec());
          } else if (r < 0.85 || made.length === 0) {
            const id = ++seq;
            made.push(id);
            batch.push(writer.multi().set(`${K}n:${id}`, 'x'.repeat(64)).incr(`${K}count`).exec());
          } else {
            const id = made.splice(Math.floor(Math.random() * made.length), 1)[0]!;
            batch.push(writer.multi().del(`${K}n:${id}`).decr(`${K}count`).exec());
          }
        }
        await Promise.all(batch);
        transactions += batch.length;
      }
    })();
    try {
      // Let the writer get going, then back up in small batches so the writes overlap the scan.
      while (transactions < 500) await new Promise((r) => setImmediate(r));
      const before = transactions;
      const result = await backup({ target: { url: source.url, clusterNodes: undefined, prefix: P }, file: join(dir, 'busy.lfbak'), batch: 50 });
      expect(transactions - before, 'writes happened during the backup').toBeGreaterThan(200);
      expect(result.changedDuringBackup).toBeGreaterThan(0);
    } finally {
      stop = true;
      await writing;
      await writer.close();
    }

    await restore({ target: { url: target.url, clusterNodes: undefined }, file: join(dir, 'busy.lfbak') });
    const check = createClient({ url: target.url });
    await check.connect();
    try {
      const counters = await check.mGet(Array.from({ length: COUNTERS }, (_, i) => `${K}c:${i}`));
      expect(counters.filter((c) => c === null)).toEqual([]);
      expect(counters.reduce((sum, c) => sum + Number(c), 0)).toBe(0);
      const created = await check.keys(`${K}n:*`);
      expect(created.length).toBe(Number(await check.get(`${K}count`)));
    } finally {
      await check.close();
    }
  });
});
