/**
 * REDIS_CLUSTER_NODES: a deployment whose keys are spread over a cluster's masters is backed up
 * from every master, and restored into a cluster (each key to its master) or into one Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createCluster, RESP_TYPES } from 'redis';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { backup } from '../../../scripts/lib/backup/snapshot.ts';
import { restore } from '../../../scripts/lib/backup/restore.ts';
import { parseClusterNodes } from '../../../scripts/lib/backup/target.ts';
import { startCluster, type TestCluster } from '../../helpers/cluster.ts';

const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;
const KEYS = 200;

describe('npm run backup with REDIS_CLUSTER_NODES', () => {
  let cluster: TestCluster;
  let single: TestRedis;
  let dir: string;
  let client: ReturnType<typeof createCluster>;
  const names = Array.from({ length: KEYS }, (_, i) => `{ca}:k:${i}`);
  /** `host:port` of every node, as REDIS_CLUSTER_NODES lists them. */
  const addresses = () => cluster.nodes.map((n) => `${n.host}:${n.port}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-cluster-backup-'));
    [cluster, single] = await Promise.all([startCluster({ replicas: 0 }), startRedis()]);
    client = createCluster({ rootNodes: addresses().map((n) => ({ url: `redis://${n}` })) });
    await client.connect();
    await Promise.all(
      names.map((key, i) => {
        if (i % 4 === 0) return client.hSet(key, { n: String(i), name: `队${i}` });
        if (i % 4 === 1) return client.zAdd(key, [{ score: i, value: 'x' }]);
        if (i % 4 === 2) return client.xAdd(key, '*', { t: String(i) });
        return client.set(key, `v${i}`, { PX: 3_600_000 });
      }),
    );
    await client.set('{cb}:not-ours', '1');
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all([cluster?.destroy(), single?.destroy()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up the keys of every master and restores them, alike, into the cluster under another prefix and into one Redis', async () => {
    const file = join(dir, 'ca.lfbak');
    const nodes = parseClusterNodes(addresses().join(','));
    const made = await backup({ target: { url: 'redis://127.0.0.1', clusterNodes: nodes, prefix: 'ca:' }, file });
    expect(made.records).toBe(KEYS);
    expect(Object.keys(made.snapshotAt)).toHaveLength(3);

    const intoCluster = await restore({ target: { url: 'redis://127.0.0.1', clusterNodes: nodes }, file, prefix: 'cc:' });
    expect(intoCluster.keys).toBe(KEYS);
    const intoOne = await restore({ target: { url: single.url, clusterNodes: undefined }, file });
    expect(intoOne.keys).toBe(KEYS);

    const one = createClient({ url: single.url });
    await one.connect();
    try {
      const dump = (c: typeof client | typeof one, key: string) => c.withTypeMapping(BUFFERS).dump(key);
      const [originals, renamed, single] = await Promise.all([
        Promise.all(names.map((key) => dump(client, key))),
        Promise.all(names.map((key) => dump(client, key.replace(/^\{ca\}:/, '{cc}:')))),
        Promise.all(names.map((key) => dump(one, key))),
      ]);
      expect(originals.every((d) => d !== null)).toBe(true);
      expect(renamed).toEqual(originals);
      expect(single).toEqual(originals);
      expect(await client.pTTL('{cc}:k:3')).toBeGreaterThan(3_500_000);
      expect(await one.exists('{cb}:not-ours')).toBe(0);
    } finally {
      await one.close();
    }
  });

  it('takes each master at one moment while the app writes: pairs written together in one transaction come back equal', async () => {
    const PAIRS = 30;
    const pair = (i: number) => [`{cw}:p${i}:a`, `{cw}:p${i}:b`] as const;
    await Promise.all(Array.from({ length: PAIRS }, (_, i) => client.multi().set(pair(i)[0], '0').set(pair(i)[1], '0').exec()));
    let stop = false;
    let transactions = 0;
    const writing = (async () => {
      while (!stop) {
        await Promise.all(
          Array.from({ length: 30 }, () => {
            const [a, b] = pair(Math.floor(Math.random() * PAIRS));
            return client.multi().incr(a).incr(b).exec();
          }),
        );
        transactions += 30;
      }
    })();
    const file = join(dir, 'cw.lfbak');
    let made: Awaited<ReturnType<typeof backup>>;
    try {
      while (transactions < 300) await new Promise((r) => setImmediate(r));
      made = await backup({ target: { url: 'redis://127.0.0.1', clusterNodes: addresses(), prefix: 'cw:' }, file, batch: 5 });
    } finally {
      stop = true;
      await writing;
    }
    expect(made.changedDuringBackup).toBeGreaterThan(0);
    await restore({ target: { url: 'redis://127.0.0.1', clusterNodes: addresses() }, file, prefix: 'cz:' });
    const restored = await Promise.all(Array.from({ length: PAIRS }, (_, i) => Promise.all(pair(i).map((k) => client.get(k.replace(/^\{cw\}:/, '{cz}:'))))));
    expect(restored.filter(([a, b]) => a === null || a !== b)).toEqual([]);
  });

  it('refuses REDIS_CLUSTER_NODES that are not host:port pairs, naming the variable', () => {
    expect(() => parseClusterNodes('10.0.0.1:7000,10.0.0.2')).toThrow(/REDIS_CLUSTER_NODES must be comma-separated host:port/);
    expect(parseClusterNodes(' ')).toBeUndefined();
  });
});
