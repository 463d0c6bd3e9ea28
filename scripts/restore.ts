/**
 * `npm run restore -- FILE [--prefix NEW] [--force]`: writes a backup made by `npm run backup`
 * into the Redis of REDIS_URL or REDIS_CLUSTER_NODES, under the backup's own prefix or NEW.
 * Refuses a target that already holds keys under that prefix (unless --force, which deletes them
 * first), a damaged or truncated file, and a Redis too old for the backup's DUMP format.
 * Exit code 0 done, 1 refused or failed, 2 bad usage. See README "Backup and restore".
 */
import { parseArgs } from 'node:util';
import { checkBackup, restore } from './lib/backup/restore.ts';
import { BackupError, checkPrefix, readTarget } from './lib/backup/target.ts';

const USAGE = `usage: npm run restore -- FILE.lfbak [--prefix NEW_PREFIX] [--force] [--check]
  --check   only check the file (complete, checksum good) and say what it holds; writes nothing
  --prefix  restore under this REDIS_PREFIX instead of the backup's own
  --force   delete every key under that prefix first, instead of refusing a deployment that is not empty
Writes into REDIS_URL, or REDIS_CLUSTER_NODES when set. Stop the app's processes first.`;

let parsed: { values: { prefix?: string; force?: boolean; check?: boolean; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({ options: { prefix: { type: 'string' }, force: { type: 'boolean' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
try {
  if (values.check) {
    const { header, footer } = await checkBackup(positionals[0]!);
    const at = Object.entries(footer.snapshotAt).map(([node, ms]) => `${node} at ${new Date(ms).toISOString()}`);
    console.log(`${positionals[0]}: complete, checksum good. Prefix "${header.prefix}", ${footer.records.toLocaleString('en')} records from Redis ${header.redisVersion} (${header.mode}); snapshot of ${at.join(', ')}`);
    process.exit(0);
  }
  const { prefix: envPrefix, ...target } = readTarget({ ...process.env, REDIS_PREFIX: process.env.REDIS_PREFIX ?? '' });
  let prefix = values.prefix === undefined ? undefined : checkPrefix('--prefix', values.prefix);
  // REDIS_PREFIX set to another prefix than the backup's: the app would not see the keys.
  if (prefix === undefined && process.env.REDIS_PREFIX !== undefined) {
    const { header } = await checkBackup(positionals[0]!);
    if (header.prefix !== envPrefix) {
      throw new BackupError(`the backup holds prefix "${header.prefix}" but REDIS_PREFIX is "${envPrefix}": pass --prefix "${envPrefix}" to restore under it, or unset REDIS_PREFIX`);
    }
    prefix = envPrefix;
  }
  const started = Date.now();
  await restore({ target, file: positionals[0]!, prefix, force: values.force, log: (line) => console.log(line) });
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
