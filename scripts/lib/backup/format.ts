/**
 * The backup file (`.lfbak`): gzip of newline-delimited JSON. A header line, one line per key
 * (its name, absolute expiry and Redis DUMP payload in base64) or per key deleted while the
 * backup ran, and a closing line with the record count and the SHA-256 of every line before it.
 * Written and read as streams, a line at a time: a deployment's size never sits in memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import { once } from 'node:events';
import { BackupError } from './target.ts';

export const FORMAT = 'lianfang-backup';
export const FORMAT_VERSION = 1;

export interface Header {
  format: typeof FORMAT;
  version: number;
  /** REDIS_PREFIX of the deployment backed up. */
  prefix: string;
  /** What every key name in the file starts with (keys.ts's prefix for REDIS_PREFIX). */
  keyPrefix: string;
  createdAt: string;
  /** redis_version of the (first) node backed up. */
  redisVersion: string;
  mode: 'single' | 'cluster';
  nodes: string[];
}

/**
 * One key: `k` its name (UTF-8; `kb` base64 when the name is not valid UTF-8), `x` when it
 * expires (epoch ms on the source's clock; absent: never), `v` its DUMP payload in base64; or
 * `del`: the key was deleted while the backup ran (it may have an earlier line in the file).
 */
export type BackupRecord = { k?: string; kb?: string; x?: number; v: string; del?: undefined } | { k?: string; kb?: string; del: true; v?: undefined; x?: undefined };

export interface Footer {
  end: true;
  /** Lines between the header and this one. */
  records: number;
  /** RDB format of the DUMP payloads (a Redis restores payloads of its own format or older). */
  rdbVersion: number | null;
  /** Per master: the server time the snapshot of that node is from (its last atomic step). */
  snapshotAt: Record<string, number>;
  sha256: string;
}

export function recordKey(record: BackupRecord): Buffer {
  if (record.kb !== undefined) return Buffer.from(record.kb, 'base64');
  if (record.k !== undefined) return Buffer.from(record.k, 'utf8');
  throw new BackupError('damaged backup: a record without a key name');
}

export function keyFields(key: Buffer): { k: string } | { kb: string } {
  const text = key.toString('utf8');
  return Buffer.from(text, 'utf8').equals(key) ? { k: text } : { kb: key.toString('base64') };
}

/** The RDB format a DUMP payload was written in: the two bytes before its 8-byte CRC. */
export function payloadRdbVersion(payload: Buffer): number {
  return payload.readUInt16LE(payload.length - 10);
}

/** Writes `<file>.partial` and renames it to `<file>` once the closing line is on disk. */
export class BackupWriter {
  private readonly gzip: Gzip = createGzip({ level: 6 });
  private readonly out: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private readonly partial: string;
  private failure: Error | undefined;
  records = 0;
  bytes = 0;

  constructor(readonly file: string) {
    this.partial = `${file}.partial`;
    this.out = createWriteStream(this.partial, { flags: 'wx' });
    this.gzip.pipe(this.out);
    const fail = (err: Error) => (this.failure ??= err);
    this.gzip.on('error', fail);
    this.out.on('error', fail);
  }

  private async line(value: object): Promise<void> {
    if (this.failure) throw new BackupError(`cannot write ${this.partial}: ${this.failure.message}`);
    const text = `${JSON.stringify(value)}\n`;
    this.hash.update(text);
    this.bytes += text.length;
    if (!this.gzip.write(text)) await Promise.race([once(this.gzip, 'drain'), once(this.out, 'error')]);
  }

  header(header: Header): Promise<void> {
    return this.line(header);
  }

  record(record: BackupRecord): Promise<void> {
    this.records++;
    return this.line(record);
  }

  async finish(footer: Omit<Footer, 'end' | 'records' | 'sha256'>): Promise<void> {
    const closing: Footer = { end: true, records: this.records, ...footer, sha256: this.hash.digest('hex') };
    this.gzip.end(`${JSON.stringify(closing)}\n`);
    await new Promise<void>((resolve, reject) => {
      this.out.once('close', () => (this.failure ? reject(this.failure) : resolve()));
      this.out.once('error', reject);
    }).catch((err: Error) => {
      throw new BackupError(`cannot write ${this.partial}: ${err.message}`);
    });
    renameSync(this.partial, this.file);
  }

  /** Drops the partial file (a failed backup leaves nothing that looks like one). */
  abort(): void {
    this.gzip.destroy();
    this.out.destroy();
    rmSync(this.partial, { force: true });
  }
}

export type BackupLine = { kind: 'header'; header: Header } | { kind: 'record'; record: BackupRecord } | { kind: 'footer'; footer: Footer };

/**
 * The lines of a backup file, checked as they go: the header first, records, then the closing
 * line whose count and checksum must match what came before, and nothing after it. A file cut
 * short or altered throws a {@link BackupError} saying so, at the point it is noticed.
 */
export async function* readBackup(file: string): AsyncGenerator<BackupLine> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  let streamError: Error | undefined;
  input.on('error', (err) => {
    streamError = err;
    gunzip.destroy(err);
  });
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  const hash = createHash('sha256');
  let n = 0;
  let records = 0;
  let footer: Footer | undefined;
  try {
    for await (const text of lines) {
      n++;
      if (footer) throw new BackupError(`damaged backup ${file}: text after its closing line (line ${n})`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new BackupError(`damaged backup ${file}: line ${n} is not JSON`);
      }
      const obj = value as Record<string, unknown>;
      if (n === 1) {
        if (obj.format !== FORMAT) throw new BackupError(`${file} is not a Lianfang backup (no "${FORMAT}" header)`);
        if (obj.version !== FORMAT_VERSION) throw new BackupError(`${file} is a Lianfang backup of format ${String(obj.version)}; this version reads format ${FORMAT_VERSION}`);
        hash.update(`${text}\n`);
        yield { kind: 'header', header: obj as unknown as Header };
      } else if (obj.end === true) {
        footer = obj as unknown as Footer;
        if (footer.records !== records) throw new BackupError(`damaged backup ${file}: its closing line counts ${footer.records} records, the file holds ${records}`);
        if (footer.sha256 !== hash.digest('hex')) throw new BackupError(`damaged backup ${file}: its checksum does not match its contents`);
        yield { kind: 'footer', footer };
      } else {
        records++;
        hash.update(`${text}\n`);
        yield { kind: 'record', record: obj as unknown as BackupRecord };
      }
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const message = (err as Error).message;
    if (streamError) throw new BackupError(`cannot read ${file}: ${streamError.message}`);
    if (/unexpected end of file/i.test(message)) throw new BackupError(truncated(file, records));
    if (/incorrect header check|invalid/i.test(message)) throw new BackupError(n === 0 ? `${file} is not a Lianfang backup (not gzip)` : `damaged backup ${file}: ${message} after ${records} records`);
    throw new BackupError(`cannot read ${file}: ${message}`);
  } finally {
    lines.close();
    input.destroy();
  }
  if (n === 0) throw new BackupError(`${file} is empty: not a Lianfang backup`);
  if (!footer) throw new BackupError(truncated(file, records));
}

function truncated(file: string, records: number): string {
  return `truncated backup ${file}: it ends after ${records} records without its closing line (cut short while copying, or the backup did not finish); restore from a complete file`;
}
