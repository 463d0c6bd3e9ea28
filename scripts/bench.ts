/**
 * Benchmarks: `npm run bench -- NAME` runs scripts/bench/NAME.ts (its exported `run()`);
 * without a known name it lists the available ones.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'harness.ts')
  .map((file) => file.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  if (name) console.error(`Unknown benchmark "${name}".`);
  console.error(`Usage: npm run bench -- NAME\nAvailable: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const module = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run?: (args: string[]) => unknown };
if (typeof module.run !== 'function') {
  console.error(`scripts/bench/${name}.ts exports no run()`);
  process.exit(1);
}
await module.run(args);
