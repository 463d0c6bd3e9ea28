/**
 * `npm run restore`: writes a backup file's keys into a Redis (or cluster) that holds nothing
 * under the prefix yet. The file is read twice: once to check it whole (header, checksum, count)
 * before anything is written, once to restore it, streamed and pipelined.
 */
import { randomBytes } from 'node:crypto';
import { RESP_TYPES } from 'redis';
import { payloadRdbVersion, readBackup, recordKey, type Footer, type Header } from './format.ts';
import { BackupError, checkPrefix, connect, keyPrefix, prefixPattern, type Connection, type NodeClient, type Target } from './target.ts';

const BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } as const;

export interface RestoreOptions {
  /** The Redis to write (its prefix is not used: see `prefix`). */
  target: Omit<Target, 'prefix'>;
  file: string;
  /** Restore under this prefix instead of the backup's own (every key name is rewritten). */
  prefix?: string;
  /** Delete every key under the prefix first, instead of refusing a deployment that is not empty. */
  force?: boolean;
  /** Commands in flight at once. */
  inFlight?: number;
  log?: (line: string) => void;
}

export interface RestoreResult {
  header: Header;
  footer: Footer;
  prefix: string;
  records: number;
  /** Keys under the prefix once restored (keys whose expiry passed meanwhile are not restored). */
  keys: number;
}

/**
 * Reads the whole file once: it must be complete and unaltered before anything is written.
 * Answers the newest RDB format among its payloads too (read from each payload's tail).
 */
export async function checkBackup(file: string): Promise<{ header: Header; footer: Footer; rdbVersion: number | null }> {
  let header: Header | undefined;
  let footer: Footer | undefined;
  let rdbVersion: number | null = null;
  for await (const line of readBackup(file)) {
    if (line.kind === 'header') header = line.header;
    else if (line.kind === 'footer') footer = line.footer;
    else if (!recordKey(line.record).toString('latin1').startsWith(header!.keyPrefix ?? header!.prefix)) {
      throw new BackupError(`damaged backup ${file}: key "${recordKey(line.record).toString()}" is not under the backup's prefix "${header!.prefix}"`);
    } else if (line.record.v !== undefined) {
      // The last 16 base64 characters are whole groups: they decode to the payload's last bytes.
      const tail = Buffer.from(line.record.v.slice(-16), 'base64');
      if (tail.length < 10) throw new BackupError(`damaged backup ${file}: a payload too short to be a DUMP`);
      rdbVersion = Math.max(rdbVersion ?? 0, payloadRdbVersion(tail));
    }
  }
  return { header: header!, footer: footer!, rdbVersion };
}

/** Keys under `prefix` on one node: all of them (`limit` Infinity) or the first few. */
async function keysUnder(client: NodeClient, prefix: string, limit: number, each?: (key: Buffer) => Promise<unknown>): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = (await client.sendCommand(['SCAN', cursor, 'MATCH', prefixPattern(prefix), 'COUNT', '1000'], BUFFERS)) as [Buffer, Buffer[]];
    cursor = next.toString();
    n += keys.length;
    // One UNLINK per key: on a cluster node, keys of different slots cannot share a command.
    if (each) await Promise.all(keys.map(each));
  } while (cursor !== '0' && n < limit);
  return n;
}

/** The newest RDB format the target reads: the format of a DUMP it makes itself. */
async function targetRdbVersion(conn: Connection, prefix: string): Promise<number> {
  const probe = `${prefix}lfbak:probe:${randomBytes(6).toString('hex')}`;
  await conn.send(probe, ['SET', probe, '1', 'PX', '60000']);
  try {
    return payloadRdbVersion((await conn.send(probe, ['DUMP', probe], BUFFERS)) as Buffer);
  } finally {
    await conn.send(probe, ['DEL', probe]);
  }
}

export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const { file, force = false, inFlight = 256, log = () => {} } = options;
  log(`checking ${file} …`);
  const { header, footer, rdbVersion } = await checkBackup(file);
  const prefix = options.prefix === undefined ? header.prefix : checkPrefix('--prefix', options.prefix);
  log(`  a backup of "${header.prefix}*" made ${header.createdAt} from Redis ${header.redisVersion}: ${footer.records.toLocaleString('en')} records, checksum good`);
  const from = header.keyPrefix ?? header.prefix;
  const to = keyPrefix(prefix);
  const conn = await connect({ ...options.target, prefix });
  try {
    const info = String(await conn.masters[0]!.client.sendCommand(['INFO', 'server']));
    const targetVersion = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
    for (const { address, client } of force ? [] : conn.masters) {
      if ((await keysUnder(client, to, 1)) > 0) {
        throw new BackupError(`${address} already holds keys under "${prefix}": restore only into an empty deployment (stop the app and use an empty Redis or another prefix), or pass --force to delete every key under "${prefix}" first`);
      }
    }
    if (rdbVersion !== null) {
      const readable = await targetRdbVersion(conn, to);
      if (rdbVersion > readable) {
        throw new BackupError(
          `this backup was made by Redis ${header.redisVersion} (DUMP format RDB ${rdbVersion}); the target runs Redis ${targetVersion}, which reads RDB ${readable} and older: restore into Redis ${header.redisVersion} or newer`,
        );
      }
    }
    for (const { address, client } of force ? conn.masters : []) {
      const deleted = await keysUnder(client, to, Infinity, (key) => client.sendCommand(['UNLINK', key]));
      if (deleted > 0) log(`  --force: deleted ${deleted.toLocaleString('en')} keys under "${prefix}" on ${address}`);
    }
    log(`restoring into ${conn.masters.map((m) => m.address).join(', ')} under "${prefix}" …`);
    let done = 0;
    let lastLog = Date.now();
    let pending: Array<Promise<unknown>> = [];
    const flush = async () => {
      const batch = pending;
      pending = [];
      try {
        await Promise.all(batch);
      } catch (err) {
        const message = (err as Error).message;
        const hint = /payload version|checksum/i.test(message) ? ` (the target, Redis ${targetVersion}, cannot read this backup's DUMP format)` : '';
        throw new BackupError(`restore stopped after about ${done.toLocaleString('en')} records: ${message}${hint}. The target now holds part of the backup: fix the cause and run again with --force`);
      }
    };
    for await (const line of readBackup(file)) {
      if (line.kind !== 'record') continue;
      const { record } = line;
      const original = recordKey(record);
      const key = to === from ? original : Buffer.concat([Buffer.from(to), original.subarray(Buffer.byteLength(from))]);
      if (record.del) pending.push(conn.send(key, ['DEL', key]));
      // REPLACE: a key that changed while the backup ran has a later line that must win.
      else if (record.x === undefined) pending.push(conn.send(key, ['RESTORE', key, '0', Buffer.from(record.v, 'base64'), 'REPLACE']));
      else pending.push(conn.send(key, ['RESTORE', key, String(record.x), Buffer.from(record.v, 'base64'), 'REPLACE', 'ABSTTL']));
      done++;
      if (pending.length >= inFlight) await flush();
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        log(`  ${done.toLocaleString('en')} of ${footer.records.toLocaleString('en')} records`);
      }
    }
    await flush();
    let keys = 0;
    for (const { client } of conn.masters) keys += await keysUnder(client, to, Infinity);
    log(`restored ${keys.toLocaleString('en')} keys under "${prefix}" from ${done.toLocaleString('en')} records`);
    return { header, footer, prefix, records: done, keys };
  } finally {
    await conn.close();
  }
}
