/**
 * `npm run backup [-- --out DIR_OR_FILE] [--quiesced]`: a consistent snapshot of one deployment
 * (REDIS_URL or REDIS_CLUSTER_NODES, REDIS_PREFIX, read as the server reads them) into one file,
 * by default var/backups/lianfang-<prefix>-<UTC time>.lfbak. See README "Backup and restore".
 * Exit code 0 done, 1 failed (nothing is left under the file's name), 2 bad usage.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { backup } from './lib/backup/snapshot.ts';
import { BackupError, readTarget } from './lib/backup/target.ts';

const USAGE = `usage: npm run backup -- [--out DIR_OR_FILE] [--quiesced]
  --out       a folder (default var/backups) or a file name ending in .lfbak
  --quiesced  writers are stopped: skip keyspace notifications (for a Redis that refuses CONFIG)
Reads REDIS_URL, REDIS_CLUSTER_NODES and REDIS_PREFIX like the server.`;

function fileName(prefix: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = prefix.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'all';
  return `lianfang-${name}-${stamp}.lfbak`;
}

let values: { out?: string; quiesced?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({ options: { out: { type: 'string' }, quiesced: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
try {
  const target = readTarget();
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const out = resolve(values.out ?? join(root, 'var', 'backups'));
  const isFile = out.endsWith('.lfbak') && !(existsSync(out) && statSync(out).isDirectory());
  const dir = isFile ? resolve(out, '..') : out;
  mkdirSync(dir, { recursive: true });
  const file = isFile ? out : join(dir, fileName(target.prefix, new Date()));
  if (existsSync(file)) throw new BackupError(`${file} exists already: choose another --out`);
  const started = Date.now();
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  const result = await backup({ target, file, quiesced: values.quiesced, signal: stop.signal, log: (line) => console.log(line) });
  const size = statSync(file).size;
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.records.toLocaleString('en')} records, ${(size / 1e6).toFixed(1)} MB → ${file}`);
} catch (err) {
  // Redis's own errors (MOVED while a cluster reshards, OOM …) are as clear as ours; no stack.
  console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
