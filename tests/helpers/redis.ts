/**
 * A real redis-server for a test file: its own process on a free port, its own data folder,
 * AOF on like production. Never touches a Redis on 6379, never outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM), keeping its data folder. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
  /** Kills it at once (SIGKILL), as a crash would; `start()` brings it back on the same data. */
  kill(): Promise<void>;
}

/**
 * A master with replicas that fail over (a cluster, or a master watched by Sentinel): what the
 * failover tests do to it, whichever layout it is.
 */
export interface TestReplicated extends TestRedis {
  /** The port of the master holding `key` now, by asking the cluster or the sentinels. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the node on `port`, as a crash would. */
  killNode(port: number): Promise<void>;
  /** Starts a killed node again on its data (it rejoins as a replica once another took over). */
  restartNode(port: number): Promise<void>;
  /** The replica of the master on `port`. */
  replicaOf(port: number): Promise<number>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) one node. */
  pauseNode(port: number): void;
  resumeNode(port: number): void;
  /** Resolves once every node is in place again (every master served, every replica in sync). */
  waitHealthy(timeoutMs?: number): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts redis-server on `port` and resolves once it answers. The answer must come from this
 * process (INFO's process_id): another test file's Redis that took the port between `freePort` and
 * the bind would answer PING too, while ours exits with "Address already in use", and the test
 * would then run on a Redis that vanishes when the other file ends.
 */
export function launch(port: number, dir: string, extraArgs: string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', '--loglevel', 'warning', '--databases', '1', ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(child);
    };
    const timer = setTimeout(() => settle(new Error(`redis-server did not start on ${port}: ${out}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', (err) => settle(new Error(`cannot run redis-server (is it installed? npm test installs it): ${err.message}`)));
    child.on('exit', (code) => settle(new PortTaken(`redis-server exited with ${code}: ${out}`, /in use/i.test(out))));
    // With loglevel warning no ready line is printed: ask the port until our own process answers.
    const poll = () => {
      if (settled) return;
      const sock = createConnection({ port, host: '127.0.0.1' });
      let reply = '';
      sock.on('connect', () => sock.write('INFO server\r\nPING\r\n'));
      sock.on('data', (d) => {
        reply += d.toString();
        if (!/\r\n(\+PONG|-[^\r]*)\r\n$/.test(reply)) return;
        sock.destroy();
        const ours = new RegExp(`process_id:${child.pid}\\r`).test(reply);
        if (ours && reply.endsWith('+PONG\r\n')) settle(null);
        else setTimeout(poll, 20);
      });
      sock.on('error', () => setTimeout(poll, 20));
    };
    poll();
  });
}

/** redis-server exited before answering; `inUse` when its port had been taken meanwhile. */
export class PortTaken extends Error {
  constructor(
    message: string,
    readonly inUse: boolean,
  ) {
    super(message);
  }
}

/** `firstPort`: the port to try first (a test of the retry gives a taken one). */
export async function startRedis(options: { firstPort?: number } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'lianfang-redis-'));
  // A port free a moment ago may be taken by another test file's Redis before ours binds it.
  let port = options.firstPort ?? (await freePort());
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    try {
      child = await launch(port, dir);
    } catch (error) {
      if (!(error instanceof PortTaken && error.inUse) || attempt >= 5) throw error;
      port = await freePort();
    }
  }
  const end = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
      // A paused server would hold a SIGTERM until thawed.
      c.kill('SIGCONT');
    });
  };
  const stop = () => end('SIGTERM');
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async start() {
      if (!child) child = await launch(port, dir);
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    kill: () => end('SIGKILL'),
  };
}
