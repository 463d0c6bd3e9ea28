/**
 * `npm run backup`: a snapshot of one deployment's keys (those under its REDIS_PREFIX), taken
 * while the app keeps writing, that is consistent: the file holds every key as it was at one
 * moment per Redis node.
 *
 * How, on each master:
 *  1. Keyspace notifications on (`notify-keyspace-events` gains `KA` for the backup's duration)
 *     and subscribed on the same RESP3 connection that reads the keys, so a notification of a
 *     write always arrives before the reply of any command Redis ran after that write.
 *  2. SCAN the prefix; each batch is dumped (DUMP, PTTL, server TIME) by one read-only script,
 *     and written to the file unless a notification has already named the key.
 *  3. The keys named by notifications ("dirty": written, deleted or expired since step 1) are
 *     dumped again by one script, atomically; when no new key was named before that script's
 *     reply, the snapshot is complete: a key not named was not written between its dump and that
 *     script, so its dump holds its value at that moment too. Named keys that are gone are
 *     written as deletions. Otherwise the step is repeated with the larger set.
 * Only the keys written during the backup are held in memory, never the deployment.
 */
import { RESP_TYPES } from 'redis';
import { assemble } from '../../../server/src/redis/script.ts';
import { BackupWriter, keyFields, payloadRdbVersion, type Header } from './format.ts';
import { BackupError, connect, keyPrefix, prefixPattern, type NodeClient, type Target } from './target.ts';

const DUMP_KEYS = assemble(new URL('./lua/dumpKeys.lua', import.meta.url).pathname);
const BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.SIMPLE_STRING]: Buffer } } as const;
/** Final dumps tried while writers write, before one with writes held; and the most in all. */
const UNPAUSED_ROUNDS = 3;
const MAX_FINAL_ROUNDS = 25;

export interface BackupOptions {
  target: Target;
  /** The file to write (it must not exist). */
  file: string;
  /**
   * Writers are stopped (or the Redis is a replica whose replication is paused): no
   * notifications, a plain SCAN and DUMP. For a Redis that refuses CONFIG and has no `KA` set.
   */
  quiesced?: boolean;
  /** Keys per SCAN and per dump script. */
  batch?: number;
  /**
   * Writes are held at most this long for the final dump, ms: the dump need only begin within it
   * (a script runs whole), and writes go on by themselves should the backup die meanwhile.
   */
  pauseMs?: number;
  log?: (line: string) => void;
  /** Aborts between batches (Ctrl-C): notifications are set back and the partial file removed. */
  signal?: AbortSignal;
}

export interface BackupResult {
  file: string;
  records: number;
  /** Keys written again in the final step, because they changed while the backup ran. */
  changedDuringBackup: number;
  /** Uncompressed bytes of the file's lines. */
  bytes: number;
  snapshotAt: Record<string, number>;
}

interface Dumped {
  time: number;
  entries: Array<{ key: Buffer; pttl: number; payload: Buffer | null }>;
}

async function dumpKeys(client: NodeClient, keys: Buffer[]): Promise<Dumped> {
  const reply = (await client.sendCommand(['EVAL', DUMP_KEYS, '0', ...keys], BUFFERS)) as Array<number | Buffer | null>;
  const entries: Dumped['entries'] = keys.map((key, i) => ({ key, pttl: Number(reply[1 + 2 * i]), payload: (reply[2 + 2 * i] as Buffer | null) ?? null }));
  return { time: Number(reply[0]), entries };
}

/**
 * Step 3: dumps the named keys at once until no key was named that the dump left out. A busy
 * deployment keeps naming new keys (a new rate-limit window, a check-in) in the round trip before
 * each dump; after a few rounds, writes are held (`CLIENT PAUSE … WRITE`: commands that write
 * wait, reads and this read-only script go on) for the one dump, so it ends. Only the dirty keys
 * are dumped while writes wait, typically milliseconds.
 */
async function finalDump(client: NodeClient, address: string, dirty: Map<string, Buffer>, pauseMs: number): Promise<Dumped & { rounds: number; heldMs: number }> {
  for (let round = 1; round <= MAX_FINAL_ROUNDS; round++) {
    let paused = false;
    const pausedAt = Date.now();
    if (round > UNPAUSED_ROUNDS) {
      // Its reply comes after the notifications of every write before it: the set is complete.
      paused = await client.sendCommand(['CLIENT', 'PAUSE', String(pauseMs), 'WRITE']).then(
        () => true,
        () => false,
      );
    }
    try {
      const named = [...dirty.values()];
      const started = Date.now();
      const dumped = await dumpKeys(client, named);
      if (dirty.size === named.length) return { ...dumped, rounds: round, heldMs: paused ? Date.now() - pausedAt : 0 };
      // Writes got in between the pause's reply and the dump: the pause ended before the dump began.
      if (paused) throw new BackupError(`${address}: the dump of ${named.length} changed keys did not start within ${pauseMs} ms of holding writes (${Date.now() - started} ms); run the backup closer to Redis or against a replica`);
    } finally {
      if (paused) await client.sendCommand(['CLIENT', 'UNPAUSE']);
    }
  }
  throw new BackupError(`${address}: keys kept changing faster than the backup could catch them (${dirty.size} changed, and CLIENT PAUSE was refused); run it against a replica or at a quieter time`);
}

/** `notify-keyspace-events` covers what a backup needs: keyspace channel (K), every event (A). */
function coversBackup(flags: string): boolean {
  return flags.includes('K') && (flags.includes('A') || [...'g$lshzxet'].every((c) => flags.includes(c)));
}

async function notifyFlags(client: NodeClient): Promise<string> {
  const reply = (await client.sendCommand(['CONFIG', 'GET', 'notify-keyspace-events'])) as unknown;
  const value = Array.isArray(reply) ? reply[1] : (reply as Record<string, string>)['notify-keyspace-events'];
  return String(value ?? '');
}

export async function backup(options: BackupOptions): Promise<BackupResult> {
  const { target, file, quiesced = false, batch = 500, pauseMs = 2000, log = () => {}, signal } = options;
  const conn = await connect(target, { resp3: !quiesced });
  const writer = new BackupWriter(file);
  try {
    const info = String(await conn.masters[0]!.client.sendCommand(['INFO', 'server']));
    const header: Header = {
      format: 'lianfang-backup',
      version: 1,
      prefix: target.prefix,
      keyPrefix: keyPrefix(target.prefix),
      createdAt: new Date().toISOString(),
      redisVersion: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown',
      mode: target.clusterNodes ? 'cluster' : 'single',
      nodes: conn.masters.map((m) => m.address),
    };
    await writer.header(header);
    const pattern = prefixPattern(header.keyPrefix);
    log(`backing up keys "${pattern}" from ${header.nodes.join(', ')} (Redis ${header.redisVersion}) to ${file}`);
    const snapshotAt: Record<string, number> = {};
    let rdbVersion: number | null = null;
    let changed = 0;
    const write = async (key: Buffer, time: number, pttl: number, payload: Buffer) => {
      rdbVersion ??= payloadRdbVersion(payload);
      await writer.record({ ...keyFields(key), ...(pttl >= 0 ? { x: time + pttl } : {}), v: payload.toString('base64') });
    };
    for (const { address, client } of conn.masters) {
      const dirty = new Map<string, Buffer>();
      let restoreFlags: string | undefined;
      const channel = `__keyspace@${conn.database}__:`;
      if (!quiesced) {
        let flags: string;
        try {
          flags = await notifyFlags(client);
          if (!coversBackup(flags)) {
            await client.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', `${flags}KA`]);
            restoreFlags = flags;
          }
        } catch (err) {
          throw new BackupError(
            `${address} refused CONFIG (${(err as Error).message}): a consistent backup needs keyspace notifications. Set notify-keyspace-events to KA in that Redis's configuration, or stop the app's writers and run with --quiesced`,
          );
        }
        const skip = Buffer.byteLength(channel);
        await client.pSubscribe(`${channel}${pattern}`, (_event, name) => {
          const key = name.subarray(skip);
          dirty.set(key.toString('latin1'), key);
        }, true);
      }
      try {
        let cursor = '0';
        let keys = 0;
        let lastLog = Date.now();
        let last: Dumped | undefined;
        let held = '';
        do {
          const [next, found] = (await client.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(batch)], BUFFERS)) as [Buffer, Buffer[]];
          cursor = next.toString();
          if (signal?.aborted) throw new BackupError('interrupted; nothing was kept');
          if (found.length === 0) continue;
          last = await dumpKeys(client, found);
          for (const { key, pttl, payload } of last.entries) {
            // A key already named is dumped again in the final step; a vanished one was named too.
            if (payload === null || dirty.has(key.toString('latin1'))) continue;
            await write(key, last.time, pttl, payload);
            keys++;
          }
          if (Date.now() - lastLog > 2000) {
            lastLog = Date.now();
            log(`  ${address}: ${keys.toLocaleString('en')} keys, ${(writer.bytes / 1e6).toFixed(1)} MB so far`);
          }
        } while (cursor !== '0');
        if (quiesced) {
          snapshotAt[address] = last?.time ?? Date.now();
        } else {
          const final = await finalDump(client, address, dirty, pauseMs);
          if (final.heldMs > 0) held = ` (writes held ${final.heldMs} ms for the last dump)`;
          if (!coversBackup(await notifyFlags(client))) throw new BackupError(`${address}: keyspace notifications were turned off while the backup ran (another backup finishing?); run it again`);
          for (const { key, pttl, payload } of final.entries) {
            if (payload) await write(key, final.time, pttl, payload);
            else await writer.record({ ...keyFields(key), del: true });
          }
          changed += final.entries.length;
          snapshotAt[address] = final.time;
        }
        log(`  ${address}: ${keys.toLocaleString('en')} keys, ${dirty.size.toLocaleString('en')} changed while backing up, snapshot at ${new Date(snapshotAt[address]!).toISOString()}${held}`);
      } finally {
        if (!quiesced) {
          await client.pUnsubscribe().catch(() => {});
          if (restoreFlags !== undefined) await client.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', restoreFlags]).catch(() => {});
        }
      }
    }
    await writer.finish({ rdbVersion, snapshotAt });
    return { file, records: writer.records, changedDuringBackup: changed, bytes: writer.bytes, snapshotAt };
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    await conn.close();
  }
}
