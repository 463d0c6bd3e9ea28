/**
 * `npm start`: the first command after `git clone`. Installs what is missing, builds the web
 * app, starts a local redis-server (AOF on, data in var/, at most REDIS_MAXMEMORY, refusing
 * writes when full) unless REDIS_URL points at one, loads the demo county into an empty store,
 * runs the simulator and prints the URL. With HTTPS=true the map and patrol page are served over
 * HTTPS with a certificate from a private CA made by mkcert (scripts/lib/tls.mjs), and it prints
 * how to trust that CA on phones; tracker apps keep plain HTTP on OSMAND_PORT.
 * Ctrl-C stops everything it started.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { checkNode, ensureNpmDependencies, ensureSystemPackages, ensureWebBuild, fail, root, say } from './lib/setup.mjs';
import { ensureLocalCertificate, lanAddresses, trustInstructions } from './lib/tls.mjs';

checkNode();
const ownRedis = !process.env.REDIS_URL;
const TRUE = ['1', 'true', 'yes', 'on'];
// HTTPS=true, or a certificate of your own: the server speaks TLS when TLS_CERT_FILE is set.
const https = TRUE.includes((process.env.HTTPS ?? '').trim().toLowerCase()) || Boolean(process.env.TLS_CERT_FILE);
// Your own certificate (TLS_CERT_FILE and TLS_KEY_FILE) wins over the one mkcert makes.
const ownCertificate = https && !process.env.TLS_CERT_FILE;
ensureSystemPackages({ ...(ownRedis ? { 'redis-server': 'redis-server' } : {}), ...(ownCertificate ? { mkcert: 'mkcert' } : {}) });
ensureNpmDependencies();
ensureWebBuild();

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function firstFreePort(from) {
  for (let port = from; port < from + 100; port++) if (await portFree(port)) return port;
  fail(`no free port for redis-server between ${from} and ${from + 99}`);
}

const children = [];
let stopping = false;

async function startRedis() {
  const maxmemory = process.env.REDIS_MAXMEMORY || '2gb';
  if (!/^\d+(?:[kmg]b?)?$/i.test(maxmemory)) fail(`REDIS_MAXMEMORY must be a size such as 2gb or 512mb, got "${maxmemory}"`);
  const dir = join(root, 'var', 'redis');
  mkdirSync(dir, { recursive: true });
  // Our own port range, so a system Redis on 6379 is never touched.
  const port = await firstFreePort(Number(process.env.LIANFANG_REDIS_PORT ?? 6390));
  const redis = spawn(
    'redis-server',
    // A memory cap that refuses writes when reached (noeviction) rather than dropping history or sessions.
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no', '--loglevel', 'warning', '--maxmemory', maxmemory, '--maxmemory-policy', 'noeviction'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  children.push(redis);
  redis.on('exit', (code) => {
    if (!stopping) fail(`redis-server stopped unexpectedly (exit ${code})`);
  });
  say(`redis-server on 127.0.0.1:${port}, data in var/redis (AOF on, at most ${maxmemory}: REDIS_MAXMEMORY)`);
  const url = `redis://127.0.0.1:${port}`;
  // So `npm run admin` and `npm run import` find the running store.
  writeFileSync(join(root, 'var', 'redis-url'), url);
  redis.on('exit', () => rmSync(join(root, 'var', 'redis-url'), { force: true }));
  return url;
}

/**
 * The demo accounts' password for `npm start`: made up once and kept in var/demo-password, which
 * only this user may read (0600), so every start can print the same one; the server stores it
 * hashed like any other password. DEMO_PASSWORD, when set, wins.
 */
function localDemoPassword() {
  const file = join(root, 'var', 'demo-password');
  mkdirSync(join(root, 'var'), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

const env = { ...process.env };
env.DEMO ??= 'true';
env.SIMULATE ??= 'true';
env.PORT ??= '3000';
const demoOn = TRUE.includes(env.DEMO.trim().toLowerCase());
let caPem;
if (ownCertificate) {
  const tls = ensureLocalCertificate();
  env.TLS_CERT_FILE = tls.cert;
  env.TLS_KEY_FILE = tls.key;
  env.TLS_CA_FILE ??= tls.ca;
  caPem = readFileSync(tls.ca);
} else if (https && env.TLS_CA_FILE) caPem = readFileSync(env.TLS_CA_FILE);
if (https && !env.TLS_CERT_FILE) fail('HTTPS=true needs TLS_CERT_FILE and TLS_KEY_FILE, or neither (then mkcert makes them)');
const demoPasswordFromFile = demoOn && !env.DEMO_PASSWORD;
if (demoPasswordFromFile) env.DEMO_PASSWORD = localDemoPassword();
// Say so plainly instead of a confusing crash (or another copy answering as if it were us).
if (!(await portFree(Number(env.PORT)))) fail(`port ${env.PORT} is in use: is Lianfang already running? Stop it, or start with PORT=<another port>`);
if (ownRedis) env.REDIS_URL = await startRedis();

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'src', 'main.ts')], { cwd: root, env, stdio: 'inherit' });
children.unshift(server);
server.on('exit', (code) => {
  if (!stopping) {
    stopping = true;
    stopAll().then(() => process.exit(code ?? 1));
  }
});

async function stopAll() {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    await new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say('stopping …');
    stopAll().then(() => process.exit(0));
  });
}

/** GET /api/health's status, over HTTPS trusting our own CA when the server speaks TLS. */
function health() {
  if (!https) return fetch(`http://127.0.0.1:${env.PORT}/api/health`).then((res) => res.status);
  return new Promise((resolve, reject) => {
    // localhost: a certificate of your own may not name 127.0.0.1; ours names both.
    const req = request(`https://localhost:${env.PORT}/api/health`, caPem ? { ca: caPem } : { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

// Print the URL once the server answers.
const host = env.HOST && env.HOST !== '0.0.0.0' ? env.HOST : 'localhost';
const scheme = https ? 'https' : 'http';
const url = `${scheme}://${host}:${env.PORT}/`;
for (let i = 0; i < 600 && !stopping; i++) {
  try {
    const status = await health();
    if (status === 200 && server.exitCode === null) {
      say(`Lianfang is up: open ${url}   (Ctrl-C stops it)`);
      if (demoPasswordFromFile) say(`demo accounts admin, dispatcher, coordinator, leader: password ${env.DEMO_PASSWORD}   (kept in var/demo-password)`);
      if (https) {
        const lan = !env.HOST || env.HOST === '0.0.0.0' ? lanAddresses() : [];
        for (const address of lan) say(`on this network: ${scheme}://${address}:${env.PORT}/   patrol page: ${scheme}://${address}:${env.PORT}/patrol`);
        if (env.TLS_CA_FILE) for (const line of trustInstructions(`${scheme}://${lan[0] ?? host}:${env.PORT}`)) say(line);
        say(`tracker apps (OsmAnd, Traccar Client) stay on plain http, port ${env.OSMAND_PORT ?? 5055}`);
      }
      break;
    }
  } catch {}
  await new Promise((r) => setTimeout(r, 200));
}
