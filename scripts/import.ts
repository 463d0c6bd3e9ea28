/**
 * `npm run import -- grids FILE [--crs wgs84|gcj02|bd09] [--replace]`
 * `npm run import -- locations FILE [--crs …] [--replace]`   (GeoJSON, or CSV with lon,lat columns)
 * `npm run import -- holidays FILE`   a year's official holidays and make-up working days: JSON as
 *     GET /api/coverage/calendar answers it, or CSV date,name,type (日期,名称,类型; 放假|调休上班)
 *
 * Same validation as the admin endpoints; all or nothing. Exits 1 with a readable report when
 * the file has problems, 2 on usage errors. Running servers show the new data on their next load.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connectStore } from './lib/store.ts';
import { createGeographyStore } from '../server/src/geography/store.ts';
import { createImporter } from '../server/src/geography/importer.ts';
import { describe } from '../server/src/geography/importRoutes.ts';
import { createAuditLog } from '../server/src/access/audit.ts';
import { importHolidays } from './lib/holidays.ts';

const USAGE = 'usage: npm run import -- grids|locations FILE [--crs wgs84|gcj02|bd09] [--replace]\n       npm run import -- holidays FILE   (JSON or CSV date,name,type)';
const { positionals, values } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { crs: { type: 'string', default: 'wgs84' }, replace: { type: 'boolean', default: false } },
});
const [kind, file] = positionals;
if ((kind !== 'grids' && kind !== 'locations' && kind !== 'holidays') || !file) {
  console.error(USAGE);
  process.exit(2);
}
if (!['wgs84', 'gcj02', 'bd09'].includes(values.crs!)) {
  console.error(`--crs: one of wgs84, gcj02, bd09 (got ${values.crs})\n${USAGE}`);
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (err) {
  console.error(`cannot read ${file}: ${(err as Error).message}`);
  process.exit(2);
}

const { redis, keys, url } = await connectStore();
try {
  if (kind === 'holidays') {
    process.exitCode = await importHolidays({ redis, keys, url }, file, text);
  } else {
    const importer = createImporter(createGeographyStore(redis, keys));
    const options = { crs: values.crs as 'wgs84' | 'gcj02' | 'bd09', replace: values.replace! };
    const started = performance.now();
    const outcome =
      kind === 'grids' ? await importer.importGrids(text, options) : await importer.importLocations(text, file.toLowerCase().endsWith('.csv') ? 'csv' : 'geojson', options);
    if (!outcome.ok) {
      console.error(`${file}: ${outcome.errors.length} problem(s); nothing was imported.`);
      for (const issue of outcome.errors.slice(0, 50)) console.error(`  - ${describe(issue)}`);
      if (outcome.errors.length > 50) console.error(`  … and ${outcome.errors.length - 50} more`);
      process.exitCode = 1;
    } else {
      await createAuditLog(redis, keys).record({ at: Date.now(), actor: 'cli', role: 'admin', action: 'import', target: kind, ip: 'cli', detail: { file, imported: outcome.imported } });
      for (const w of outcome.warnings.slice(0, 20)) console.warn(`  warning: ${describe(w)}`);
      const created = outcome.townshipsCreated.length ? `; new townships: ${outcome.townshipsCreated.join(', ')}` : '';
      console.log(`imported ${outcome.imported} ${kind} into ${url} in ${Math.round(performance.now() - started)} ms${created}`);
    }
  }
} finally {
  await redis.close();
}
