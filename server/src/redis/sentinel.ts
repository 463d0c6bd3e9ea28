/**
 * Redis Sentinel for the single-node layout (`REDIS_SENTINELS`): the app follows whichever Redis
 * the sentinels name as master, and moves to the promoted replica by itself after a failover.
 *
 * How: every connection the process makes to Redis (commands, the Socket.IO publisher and
 * subscriber, their duplicates) goes to a relay on a loopback port of this process, which pipes
 * it to the current master. The relay asks the sentinels for the master every `pollMs` (and at
 * once when a connection to the master fails), checks with ROLE that the named node really is a
 * master (the sentinel clients' guidelines), and on a change drops every piped connection: each
 * node-redis client then reconnects as after any outage (its handshake, its SUBSCRIBEs and
 * scripts come back by themselves) and lands on the new master. Why a relay and not node-redis's
 * own sentinel client: that one has another API (no SCAN iterators, `sendCommand` with another
 * signature, a pool instead of one connection per role), and WAIT must follow the write on the
 * same connection; the relay keeps the one plain client the rest of the app is written for.
 *
 * The relay listens on 127.0.0.1 only and adds nothing to the protocol: the client still
 * authenticates to Redis itself (REDIS_URL's user and password).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createClient } from 'redis';

export interface RedisNode {
  host: string;
  port: number;
}

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Credentials of the Redis nodes themselves (REDIS_URL's user and password), for the ROLE check. */
export interface NodeAuth {
  username?: string;
  password?: string;
}

export interface SentinelOptions {
  sentinels: readonly RedisNode[];
  /** The master's name in the sentinels' configuration (`sentinel monitor <name> …`). */
  masterName: string;
  /** Password of the sentinels themselves (`requirepass` in sentinel.conf), if any. */
  sentinelPassword?: string;
  /** How often the sentinels are asked even when nothing failed, ms. */
  pollMs: number;
  /** Connecting to a sentinel or to the master gives up after this long, ms. */
  connectTimeoutMs: number;
  /** Credentials of the Redis nodes (the ROLE check authenticates like the app's clients). */
  nodeAuth?: NodeAuth;
  log?: Logger;
}

/** Why the master could not be found: no sentinel answered, or none knows the name. */
export class SentinelError extends Error {}

type Ask = (node: RedisNode, args: string[]) => Promise<unknown>;

/** One command to one node on a short-lived connection (sentinels and ROLE checks are rare). */
function asker(connectTimeoutMs: number, auth: NodeAuth): Ask {
  return async (node, args) => {
    const client = createClient({ socket: { host: node.host, port: node.port, connectTimeout: connectTimeoutMs, reconnectStrategy: false }, ...auth });
    client.on('error', () => {});
    try {
      await client.connect();
      return await Promise.race([
        client.sendCommand(args),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer from ${node.host}:${node.port}`)), connectTimeoutMs).unref()),
      ]);
    } finally {
      client.destroy();
    }
  };
}

/**
 * Asks the sentinels in turn for `masterName`'s address and returns the first one that answers
 * and that says, when asked itself (ROLE), that it is a master. With `sentinels` mutable, the
 * sentinel that answered is moved to its front (the Sentinel clients' guideline: ask the one
 * that worked first next time).
 */
export async function findMaster(options: Pick<SentinelOptions, 'sentinels' | 'masterName' | 'sentinelPassword' | 'connectTimeoutMs' | 'nodeAuth'>): Promise<RedisNode> {
  const askSentinel = asker(options.connectTimeoutMs, { password: options.sentinelPassword });
  const askNode = asker(options.connectTimeoutMs, options.nodeAuth ?? {});
  const reasons: string[] = [];
  for (const [i, sentinel] of [...options.sentinels].entries()) {
    let reply: unknown;
    try {
      reply = await askSentinel(sentinel, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', options.masterName]);
    } catch (err) {
      reasons.push(`${sentinel.host}:${sentinel.port}: ${(err as Error).message}`);
      continue;
    }
    if (!Array.isArray(reply) || reply.length !== 2) {
      reasons.push(`${sentinel.host}:${sentinel.port} knows no master named "${options.masterName}"`);
      continue;
    }
    const master = { host: String(reply[0]), port: Number(reply[1]) };
    try {
      const role = (await askNode(master, ['ROLE'])) as unknown[];
      if (role?.[0] !== 'master') {
        reasons.push(`${master.host}:${master.port} (named by ${sentinel.host}:${sentinel.port}) is a ${String(role?.[0])}, not a master`);
        continue;
      }
    } catch (err) {
      reasons.push(`${master.host}:${master.port}: ${(err as Error).message}`);
      continue;
    }
    if (i > 0 && Array.isArray(options.sentinels)) {
      const list = options.sentinels as RedisNode[];
      list.splice(list.indexOf(sentinel), 1);
      list.unshift(sentinel);
    }
    return master;
  }
  throw new SentinelError(`no master "${options.masterName}" found: ${reasons.join('; ')}`);
}

export interface MasterRelay {
  /** The relay's own port on 127.0.0.1: point Redis clients at `redis://127.0.0.1:<port>`. */
  readonly port: number;
  /** The master connections go to now (undefined while none is known). */
  master(): RedisNode | undefined;
  /** Asks the sentinels now (a test, or a connection that failed). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

const same = (a: RedisNode | undefined, b: RedisNode | undefined) => a?.host === b?.host && a?.port === b?.port;

/** Starts the relay (see the module comment); it looks for the master in the background. */
export async function openMasterRelay(options: SentinelOptions): Promise<MasterRelay> {
  // A sentinel that answered goes first next time.
  const sentinels = [...options.sentinels];
  let master: RedisNode | undefined;
  let closed = false;
  let failing: string | undefined;
  let finding: Promise<void> | undefined;
  const pairs = new Set<{ client: Socket; upstream: Socket; to: RedisNode }>();

  const dropAll = (except?: RedisNode) => {
    for (const pair of pairs) {
      if (except && same(pair.to, except)) continue;
      pair.client.destroy();
      pair.upstream.destroy();
      pairs.delete(pair);
    }
  };

  const refresh = (): Promise<void> => {
    finding ??= (async () => {
      try {
        const found = await findMaster({ ...options, sentinels });
        if (closed) return;
        if (failing !== undefined) options.log?.info({ was: failing }, 'redis sentinel: the master is found again');
        failing = undefined;
        if (!same(found, master)) {
          options.log?.info({ from: master ? `${master.host}:${master.port}` : null, to: `${found.host}:${found.port}` }, 'redis sentinel: following the master');
          master = found;
          // Connections to the old master (now gone, or demoted to a replica) reconnect to the new one.
          dropAll(found);
        }
      } catch (err) {
        // One line when it starts failing, not one per poll.
        if (failing === undefined) options.log?.warn({ reason: (err as Error).message }, 'redis sentinel: cannot find the master; retrying');
        failing = (err as Error).message;
        // The sentinels could not name a reachable master: connections to the old one are dropped
        // only once another is named (a master that merely went quiet may still be the master).
      }
    })().finally(() => {
      finding = undefined;
    });
    return finding;
  };

  const pipe = (client: Socket, to: RedisNode) => {
    const upstream = connect({ host: to.host, port: to.port, noDelay: true, timeout: options.connectTimeoutMs });
    const pair = { client, upstream, to };
    pairs.add(pair);
    const end = () => {
      if (!pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    upstream.once('connect', () => upstream.setTimeout(0));
    upstream.once('timeout', () => {
      end();
      void refresh();
    });
    upstream.on('error', () => {
      end();
      void refresh();
    });
    upstream.on('close', end);
    client.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const server: Server = createServer({ noDelay: true }, (client) => {
    client.on('error', () => client.destroy());
    if (closed) return client.destroy();
    if (master) return pipe(client, master);
    // No master known yet (the first answer is on its way, or the sentinels are being asked
    // again): the connection waits for the answer rather than being dropped mid-handshake.
    client.pause();
    void refresh().then(() => {
      if (closed || client.destroyed || !master) return client.destroy();
      pipe(client, master); // pipe() resumes the client: nothing it sent meanwhile is lost
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  void refresh();
  const timer = setInterval(() => void refresh(), options.pollMs);
  timer.unref();

  return {
    port,
    master: () => master,
    refresh,
    async close() {
      closed = true;
      clearInterval(timer);
      await finding;
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
