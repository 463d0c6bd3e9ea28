/**
 * REDIS_SENTINELS: `npm run backup` reads the master the sentinels name, whatever REDIS_URL's
 * host says (it gives only the credentials), so a backup taken after a failover is of the live data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startSentinel, type TestSentinel } from '../../helpers/sentinel.ts';
import { backup } from '../../../scripts/lib/backup/snapshot.ts';
import { BackupError, readTarget } from '../../../scripts/lib/backup/target.ts';

describe('npm run backup with REDIS_SENTINELS', () => {
  let store: TestSentinel;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-sentinel-backup-'));
    store = await startSentinel();
  }, 60_000);
  afterAll(async () => {
    await store?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up the master the sentinels name even when REDIS_URL points at the replica', async () => {
    const master = await store.masterOf('');
    const replica = await store.replicaOf(master);
    const client = createClient({ url: `redis://127.0.0.1:${master}` });
    await client.connect();
    try {
      for (let i = 0; i < 20; i++) await client.set(`{sv}:k:${i}`, `值${i}`);
    } finally {
      await client.close();
    }
    const sentinels = store.sentinels.map((s) => `${s.host}:${s.port}`).join(',');
    const target = readTarget({ REDIS_URL: `redis://127.0.0.1:${replica}`, REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: store.masterName, REDIS_PREFIX: 'sv:' });
    const made = await backup({ target, file: join(dir, 'sv.lfbak') });
    expect(made.records).toBe(20);
    expect(Object.keys(made.snapshotAt)).toEqual([`127.0.0.1:${master}`]);
  }, 30_000);

  it('refuses with the reason when no sentinel knows the master name', async () => {
    const sentinels = store.sentinels.map((s) => `${s.host}:${s.port}`).join(',');
    const target = readTarget({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: 'no-such-master', REDIS_PREFIX: 'sv:' });
    const failed = backup({ target, file: join(dir, 'none.lfbak') });
    await expect(failed).rejects.toBeInstanceOf(BackupError);
    await expect(failed).rejects.toThrow(/no master "no-such-master" found: .*knows no master named "no-such-master"/);
  }, 30_000);
});
