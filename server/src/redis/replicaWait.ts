/**
 * Writes the app must not lose once it has said "ok" (SOS, check-ins, incidents, orders) wait,
 * when the master has replicas, until one replica has them too (WAIT 1 <timeout>): a master killed
 * right after the answer then fails over to a replica that holds the write. Positions do not wait:
 * a few seconds of track lost in a failover are refilled by the next fixes.
 *
 * WAIT covers every earlier write of its connection. The app writes through one connection per
 * master (node-redis pipelines on it), and on a cluster the facade sends WAIT to the master of the
 * deployment's slot, which took the write. Whether replicas exist is read from INFO replication
 * every few seconds, because WAIT for a replica that does not exist would hold the connection
 * for the whole timeout. A WAIT that times out still lets the answer go ("ok", logged): the write
 * is on the master and an SOS is not refused because a replica is slow.
 */

interface WaitingClient {
  sendCommand(args: string[]): Promise<unknown>;
  info(section: string): Promise<string>;
}

interface State {
  timeoutMs: number;
  replicas: number;
  checkedAt: number;
  checking?: Promise<void>;
  onLate?(replicas: number): void;
}

const REFRESH_MS = 2000;
const states = new WeakMap<object, State>();

/** Turns waiting on for `redis` (the plugin does, with REDIS_REPLICA_WAIT_MS); 0 turns it off. */
export function configureReplicaWait(redis: object, options: { timeoutMs: number; onLate?(replicas: number): void }): void {
  states.set(redis, { timeoutMs: options.timeoutMs, replicas: 0, checkedAt: -Infinity, onLate: options.onLate });
}

async function replicaCount(redis: WaitingClient, state: State): Promise<number> {
  if (performance.now() - state.checkedAt > REFRESH_MS) {
    state.checking ??= redis
      .info('replication')
      .then((info) => {
        state.replicas = Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? 0);
        state.checkedAt = performance.now();
      })
      .catch(() => {})
      .finally(() => {
        state.checking = undefined;
      });
    await state.checking;
  }
  return state.replicas;
}

/**
 * Resolves once a replica has every write made so far on `redis`'s connection, at once when
 * there are no replicas, or after the timeout. Returns the replicas that confirmed (undefined: none
 * were asked).
 */
export async function waitForReplica(redis: unknown): Promise<number | undefined> {
  if (typeof redis !== 'object' || redis === null) return undefined;
  const state = states.get(redis);
  if (!state || state.timeoutMs <= 0) return undefined;
  const client = redis as WaitingClient;
  if ((await replicaCount(client, state)) === 0) return undefined;
  const acked = Number(await client.sendCommand(['WAIT', '1', String(state.timeoutMs)]));
  if (acked < 1) {
    state.onLate?.(acked);
    state.checkedAt = -Infinity; // the replica may be gone: look again
  }
  return acked;
}
