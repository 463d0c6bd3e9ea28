/**
 * A real Redis with Sentinel for a test file: a master and a replica of redis-server, watched by
 * three sentinels (quorum 2) on loopback ports, with a short `down-after-milliseconds` so a
 * killed master fails over in a few seconds. Start one per file at most; it never outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launch, PortTaken, type TestReplicated } from './redis.ts';
import { cli, poll } from './redisCli.ts';

export const SENTINEL_MASTER_NAME = 'lianfang-test';
export const SENTINEL_DOWN_AFTER_MS = 1000;

export interface TestSentinel extends TestReplicated {
  /** The sentinels, as `REDIS_SENTINELS` takes them. */
  sentinels: Array<{ host: string; port: number }>;
  masterName: string;
}

const alive = (c: ChildProcess | undefined) => c !== undefined && c.exitCode === null && c.signalCode === null;

/** A sentinel process on `port` with `conf` (it rewrites the file as it learns), once it answers. */
function launchSentinel(port: number, conf: string, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', [conf, '--sentinel', '--daemonize', 'no', '--loglevel', 'warning', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new PortTaken(`redis sentinel exited with ${code}: ${out}`, /in use/i.test(out))));
    poll(async () => new RegExp(`process_id:${child.pid}\\r`).test(await cli(port, 'INFO', 'server')), 10_000, `redis sentinel on ${port}`).then(
      () => resolve(child),
      (err: Error) => {
        child.kill('SIGKILL');
        reject(new Error(`${err.message}: ${out}`));
      },
    );
  });
}

export async function startSentinel(): Promise<TestSentinel> {
  const root = mkdtempSync(join(tmpdir(), 'lianfang-sentinel-'));
  const nodes = new Map<number, ChildProcess>();
  const dirs = new Map<number, string>();
  const sentinels = new Map<number, ChildProcess>();
  const destroyAll = async () => {
    await Promise.all([...nodes.values(), ...sentinels.values()].map((c) => new Promise<void>((resolve) => {
      if (!alive(c)) return resolve();
      c.removeAllListeners('exit');
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    })));
    nodes.clear();
    sentinels.clear();
    rmSync(root, { recursive: true, force: true });
  };
  const nodeArgs = (replicaOf?: number) => ['--appendfsync', 'everysec', ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : [])];
  /** Starts a data node on a free port (another test file may take a port first: try another). */
  const startNode = async (replicaOf?: number): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const dir = join(root, String(port));
      mkdirSync(dir);
      try {
        nodes.set(port, await launch(port, dir, nodeArgs(replicaOf)));
        dirs.set(port, dir);
        return port;
      } catch (err) {
        if (!(err instanceof PortTaken && err.inUse) || attempt >= 5) throw err;
      }
    }
  };
  const sentinelPorts = () => [...sentinels].filter(([, c]) => alive(c)).map(([p]) => p);
  const masterPort = async (): Promise<number> => {
    for (const port of sentinelPorts()) {
      const reply = (await cli(port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME).catch(() => '')).trim().split('\n');
      if (reply.length === 2) return Number(reply[1]);
    }
    throw new Error('no sentinel names a master');
  };
  try {
    const master = await startNode();
    await startNode(master);
    for (let i = 0; i < 3; i++) {
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const dir = join(root, `sentinel-${port}`);
        mkdirSync(dir);
        const conf = join(dir, 'sentinel.conf');
        writeFileSync(conf, [
          `port ${port}`,
          'bind 127.0.0.1',
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${master} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${SENTINEL_DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
          `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
          '',
        ].join('\n'));
        try {
          sentinels.set(port, await launchSentinel(port, conf, dir));
          break;
        } catch (err) {
          if (!(err instanceof PortTaken && err.inUse) || attempt >= 5) throw err;
        }
      }
    }
    const store: TestSentinel = {
      url: `redis://127.0.0.1:${master}`,
      port: master,
      sentinels: sentinelPorts().map((port) => ({ host: '127.0.0.1', port })),
      masterName: SENTINEL_MASTER_NAME,
      masterOf: () => masterPort(),
      async replicaOf(port) {
        const info = await cli(port, 'INFO', 'replication');
        const m = /^slave\d+:ip=[^,]+,port=(\d+),state=online/m.exec(info);
        if (!m) throw new Error(`no replica of ${port} online`);
        return Number(m[1]);
      },
      pauseNode(port) {
        nodes.get(port)?.kill('SIGSTOP');
      },
      resumeNode(port) {
        nodes.get(port)?.kill('SIGCONT');
      },
      async killNode(port) {
        const child = nodes.get(port);
        if (!child || !alive(child)) return;
        child.removeAllListeners('exit');
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      },
      async restartNode(port) {
        // It comes back as the master it was; the sentinels then make it a replica of the new one.
        nodes.set(port, await launch(port, dirs.get(port)!, nodeArgs()));
      },
      // A killed master started again stays a master until the sentinels have seen it report that
      // role for 8 s (SENTINEL_PUBLISH_PERIOD × 4), then it is made a replica and syncs.
      async waitHealthy(timeoutMs = 45_000) {
        await poll(async () => {
          const current = await masterPort();
          const live = [...nodes].filter(([, c]) => alive(c)).map(([p]) => p);
          const roles = await Promise.all(live.map(async (p) => [p, await cli(p, 'INFO', 'replication')] as const));
          const masterInfo = roles.find(([p]) => p === current)?.[1] ?? '';
          const replicasUp = roles.filter(([p]) => p !== current).every(([, info]) => /role:slave/.test(info) && new RegExp(`master_port:${current}\\r`).test(info) && /master_link_status:up/.test(info));
          // Every sentinel sees the others and the replicas (else a failover could not be agreed).
          const views = await Promise.all(sentinelPorts().map((p) => cli(p, 'SENTINEL', 'MASTER', SENTINEL_MASTER_NAME)));
          const field = (view: string, name: string) => view.split('\n').map((l) => l.trim()).find((_, i, all) => all[i - 1] === name);
          const agreed = views.every((v) => field(v, 'port') === String(current) && field(v, 'flags') === 'master' && field(v, 'num-other-sentinels') === '2' && Number(field(v, 'num-slaves')) >= live.length - 1);
          return /role:master/.test(masterInfo) && new RegExp(`connected_slaves:${live.length - 1}\\r`).test(masterInfo) && replicasUp && agreed;
        }, timeoutMs, 'redis sentinel: master, replicas and sentinels in place');
      },
      async stop() {
        await destroyAll();
      },
      async start() {
        throw new Error('a test sentinel deployment cannot be restarted as a whole');
      },
      destroy: destroyAll,
      pause() {
        for (const c of nodes.values()) c.kill('SIGSTOP');
      },
      resume() {
        for (const c of nodes.values()) c.kill('SIGCONT');
      },
      async kill() {
        await destroyAll();
      },
    };
    await store.waitHealthy(30_000);
    return store;
  } catch (err) {
    await destroyAll();
    throw err;
  }
}
