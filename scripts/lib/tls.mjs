/**
 * `HTTPS=true npm start`: a private certificate authority and a certificate for this machine's
 * names and addresses, made by mkcert on first run and kept in var/tls (CA in var/tls/ca). The
 * certificate is made again when the machine's names or addresses change, the CA never is: phones
 * that trust it keep trusting it. Nothing is added to this machine's own trust stores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fail, root, say } from './setup.mjs';

/** This machine's non-loopback IPv4 addresses: what phones on the same network type or scan. */
export function lanAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/** The names the certificate covers: localhost, loopback, the host name and every LAN address. */
export function certificateNames() {
  const host = hostname();
  return [...new Set(['localhost', '127.0.0.1', '::1', ...(host ? [host] : []), ...lanAddresses()])];
}

/** Makes (or reuses) var/tls/{cert,key}.pem and the CA; returns the three files' paths. */
export function ensureLocalCertificate() {
  const dir = join(root, 'var', 'tls');
  const caroot = join(dir, 'ca');
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), ca: join(caroot, 'rootCA.pem'), names: join(dir, 'names.txt') };
  mkdirSync(caroot, { recursive: true });
  const names = certificateNames();
  const madeFor = existsSync(files.names) ? readFileSync(files.names, 'utf8').trim() : '';
  if (existsSync(files.cert) && existsSync(files.key) && existsSync(files.ca) && madeFor === names.join(' ')) return files;
  say(existsSync(files.ca) ? `making a new certificate for ${names.join(', ')} …` : `making a private certificate authority (var/tls/ca) and a certificate for ${names.join(', ')} …`);
  const result = spawnSync('mkcert', ['-cert-file', files.cert, '-key-file', files.key, ...names], {
    cwd: root,
    // TRUST_STORES=none: mkcert would otherwise try to add the CA to this machine's stores (needs root, changes the system).
    env: { ...process.env, CAROOT: caroot, TRUST_STORES: 'none' },
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) fail(`mkcert could not make the certificate: ${result.error?.message ?? result.stderr}`);
  writeFileSync(files.names, `${names.join(' ')}\n`);
  return files;
}

/** What to do on each phone once, printed by `npm start` and written in the README ("Phones in the field"). */
export function trustInstructions(base) {
  return [
    `phones: trust this server's CA once, then open ${base}/patrol`,
    `  download it from ${base}/api/public/ca.crt (the admin screen shows it as a QR code; the browser warns once, before the CA is trusted)`,
    '  Android: Settings → Security → Encryption & credentials → Install a certificate → CA certificate → choose lianfang-ca.crt',
    '  iPhone: open the download, Settings → Profile Downloaded → Install; then Settings → General → About → Certificate Trust Settings → turn on full trust for it',
  ];
}
