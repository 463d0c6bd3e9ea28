/**
 * A real Redis Cluster for a test file: three masters and three replicas (or none, `replicas: 0`)
 * of redis-server on loopback ports (each with its cluster bus on port + 10,000, so ports stay below 45,000), created
 * with `redis-cli --cluster create`, a short node timeout so a killed master fails over in about
 * two seconds. Start one per file at most; it never outlives the test.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import calculateSlot from 'cluster-key-slot';
import { launch, PortTaken, type TestReplicated } from './redis.ts';
import { cli, poll } from './redisCli.ts';

const run = promisify(execFile);

export interface TestCluster extends TestReplicated {
  /** Every node, as `REDIS_CLUSTER_NODES` takes them. */
  nodes: Array<{ host: string; port: number }>;
}

export const CLUSTER_NODE_TIMEOUT_MS = 1000;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port in 20,000–45,000 whose bus port (+10,000) is free too, not in `taken`. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 25_000);
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) return port;
  }
  throw new Error('no free pair of ports for a Redis Cluster node');
}

export async function startCluster(options: { size?: 3; replicas?: 0 | 1 } = {}): Promise<TestCluster> {
  const masters = options.size ?? 3;
  const replicas = options.replicas ?? 1;
  const root = mkdtempSync(join(tmpdir(), 'lianfang-cluster-'));
  const children = new Map<number, ChildProcess>();
  const dirs = new Map<number, string>();
  const taken = new Set<number>();
  const args = (port: number) => [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', `nodes-${port}.conf`,
    '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS),
    // A replica may always take over, however long its master was gone (tests kill and restart at will).
    '--cluster-replica-validity-factor', '0',
    '--appendfsync', 'everysec',
  ];
  const startNode = async (port: number) => {
    children.set(port, await launch(port, dirs.get(port)!, args(port)));
  };
  const destroyAll = async () => {
    await Promise.all([...children.values()].map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.removeAllListeners('exit');
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    })));
    children.clear();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      for (let attempt = 1; ; attempt++) {
        const port = await freeClusterPort(taken);
        const dir = join(root, String(port));
        mkdirSync(dir);
        dirs.set(port, dir);
        try {
          await startNode(port);
          taken.add(port);
          break;
        } catch (err) {
          dirs.delete(port);
          if (!(err instanceof PortTaken && err.inUse) || attempt >= 5) throw err;
        }
      }
    }
    const ports = [...taken];
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
    const cluster: TestCluster = {
      url: `redis://127.0.0.1:${ports[0]}`,
      port: ports[0]!,
      nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      async masterOf(key) {
        const slot = calculateSlot(key);
        for (const port of children.keys()) {
          const child = children.get(port)!;
          if (child.exitCode !== null || child.signalCode !== null) continue;
          // "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>"
          const nodes = await cli(port, 'CLUSTER', 'NODES').catch(() => '');
          if (!nodes) continue;
          for (const line of nodes.trim().split('\n')) {
            const f = line.split(' ');
            if (!f[2]!.includes('master') || f[2]!.includes('fail')) continue;
            for (const range of f.slice(8)) {
              const [from, to] = range.split('-').map(Number);
              if (slot >= from! && slot <= (to ?? from)!) return Number(f[1]!.split(':')[1]!.split('@')[0]);
            }
          }
        }
        throw new Error(`no master found for slot ${slot}`);
      },
      async replicaOf(port) {
        const nodes = (await cli(port, 'CLUSTER', 'NODES')).trim().split('\n').map((l) => l.split(' '));
        const id = nodes.find((f) => f[2]!.includes('myself'))![0];
        const replica = nodes.find((f) => f[3] === id && !f[2]!.includes('fail'));
        if (!replica) throw new Error(`no replica of ${port}`);
        return Number(replica[1]!.split(':')[1]!.split('@')[0]);
      },
      pauseNode(port) {
        children.get(port)?.kill('SIGSTOP');
      },
      resumeNode(port) {
        children.get(port)?.kill('SIGCONT');
      },
      async killNode(port) {
        const child = children.get(port);
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        child.removeAllListeners('exit');
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      },
      async restartNode(port) {
        await startNode(port);
      },
      async waitHealthy(timeoutMs = 20_000) {
        await poll(async () => {
          const live = [...children].filter(([, c]) => c.exitCode === null && c.signalCode === null).map(([p]) => p);
          const states = await Promise.all(live.map((p) => cli(p, 'CLUSTER', 'INFO')));
          return states.every((s) => /cluster_state:ok/.test(s) && /cluster_slots_ok:16384/.test(s));
        }, timeoutMs, 'redis cluster: cluster_state:ok');
      },
      async stop() {
        await destroyAll();
      },
      async start() {
        throw new Error('a test cluster cannot be restarted as a whole');
      },
      destroy: destroyAll,
      pause() {
        for (const c of children.values()) c.kill('SIGSTOP');
      },
      resume() {
        for (const c of children.values()) c.kill('SIGCONT');
      },
      async kill() {
        await destroyAll();
      },
    };
    await cluster.waitHealthy();
    // Every replica in sync with its master, so WAIT is answered and a killed master can fail over.
    if (replicas > 0) await poll(async () => {
      const infos = await Promise.all(ports.map((p) => cli(p, 'INFO', 'replication')));
      return infos.filter((i) => /role:master/.test(i) && /connected_slaves:1/.test(i)).length === masters && infos.filter((i) => /master_link_status:up/.test(i)).length === masters;
    }, 20_000, 'redis cluster: replicas in sync');
    return cluster;
  } catch (err) {
    await destroyAll();
    throw err;
  }
}
