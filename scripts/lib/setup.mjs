/**
 * First-run setup shared by `npm start`, `npm test` and the other scripts: installs what is
 * missing (npm dependencies, Debian packages), builds the web app when its sources changed.
 * Plain Node with no dependencies, because it runs before `npm install` has.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Colour only for a person at a terminal: a pipe or a CI log gets plain text.
const paint = (code, text, stream) => (stream.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);

export function say(message) {
  process.stdout.write(`${paint(36, '[lianfang]', process.stdout)} ${message}\n`);
}

export function fail(message) {
  process.stderr.write(`${paint(31, '[lianfang]', process.stderr)} ${message}\n`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`${cmd} failed: ${result.error.message}`);
  return result.status ?? 1;
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is needed, this is ${process.versions.node}`);
}

export function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

let aptUpdated = false;
/**
 * Installs Debian packages whose command is missing: `{ 'redis-server': 'redis-server' }`
 * maps a command (or a file path) to the package that provides it.
 */
export function ensureSystemPackages(wanted) {
  const missing = Object.entries(wanted).filter(([what]) => (what.startsWith('/') ? !existsSync(what) : !onPath(what)));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))];
  const isRoot = process.getuid?.() === 0;
  const canSudo = !isRoot && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!onPath('apt-get') || (!isRoot && !canSudo)) {
    fail(`missing ${packages.join(', ')}: install with  sudo apt-get install -y ${packages.join(' ')}  and run again`);
  }
  const sudo = isRoot ? [] : ['sudo', '-n'];
  say(`installing ${packages.join(', ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(isRoot ? [] : ['apt-get']), 'update', '-qq'], { env });
    aptUpdated = true;
  }
  const status = run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(isRoot ? [] : ['apt-get']), 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  if (status !== 0) fail(`apt-get could not install ${packages.join(', ')}: install them by hand and run again`);
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNpmDependencies() {
  const lock = join(root, 'package-lock.json');
  // npm writes this hidden lockfile on every install: newer than ours means up to date.
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && existsSync(lock) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm dependencies (first run) …');
  const status = run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
  if (status !== 0) fail('npm could not install the dependencies (see above)');
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the web app when web/build is missing or older than its sources. */
export function ensureWebBuild({ force = false } = {}) {
  const web = join(root, 'web');
  const built = join(web, 'build', 'index.html');
  const sources = Math.max(
    ...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => newestMtime(join(web, p))),
    newestMtime(join(root, 'server', 'src', 'apiShapes.ts')),
    newestMtime(join(root, 'server', 'src', 'events.ts')),
    newestMtime(join(root, 'geo', 'src', 'types.ts')),
  );
  if (!force && existsSync(built) && statSync(built).mtimeMs >= sources) return;
  say('building the web app …');
  const status = run('npm', ['run', 'build', '-w', '@lianfang/web']);
  if (status !== 0) fail('the web app did not build (see above)');
}
