/** Runs a TypeScript script (bench, simulate, import, admin) after first-run setup. */
import { spawnSync } from 'node:child_process';
import { checkNode, ensureNpmDependencies, fail, root } from './lib/setup.mjs';

checkNode();
const [file, ...args] = process.argv.slice(2);
if (!file) fail('usage: node scripts/run-ts.mjs FILE.ts [args…]');
ensureNpmDependencies();
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
