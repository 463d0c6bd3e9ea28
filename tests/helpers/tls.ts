/**
 * A certificate for 127.0.0.1 and localhost signed by a throwaway private CA, made by mkcert as
 * `HTTPS=true npm start` does (scripts/lib/tls.mjs), and HTTPS requests that trust only that CA.
 */
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE for the server. */
  certFile: string;
  keyFile: string;
  caFile: string;
  /** The CA's PEM, for clients that should trust it. */
  ca: string;
  /** base64 SHA-256 of the certificate's public key: Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
  remove(): void;
}

export function makeCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'lianfang-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const result = spawnSync('mkcert', ['-cert-file', certFile, '-key-file', keyFile, '127.0.0.1', 'localhost', '::1'], {
    env: { ...process.env, CAROOT: join(dir, 'ca'), TRUST_STORES: 'none' },
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) throw new Error(`mkcert failed (install it: apt-get install mkcert): ${result.error?.message ?? result.stderr}`);
  const caFile = join(dir, 'ca', 'rootCA.pem');
  const publicKey = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return {
    certFile,
    keyFile,
    caFile,
    ca: readFileSync(caFile, 'utf8'),
    spki: createHash('sha256').update(publicKey).digest('base64'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request that trusts `ca` only (fetch here has no way to add a CA). */
export function httpsRequest(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
