/**
 * The private certificate authority behind this server's HTTPS (TLS_CA_FILE, e.g. the one
 * `HTTPS=true npm start` makes with mkcert), offered to phones so they can trust it:
 * GET /api/public/ca (what it is) and GET /api/public/ca.crt (the certificate). Public: a phone
 * fetches it before anyone can sign in, and a CA certificate is no secret. Without TLS_CA_FILE
 * (plain HTTP, a public CA, or a proxy's own CA) both answer 404.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { HttpError } from '../plugins/errors.ts';
import { CaInfoSchema, type CaInfoResponse } from './schemas.ts';

const CA_URL = '/api/public/ca.crt';

/** The CA file's PEM and what a person checks before trusting it; null without TLS_CA_FILE. */
function readCa(file: string | undefined): { pem: string; info: CaInfoResponse } | null {
  if (!file) return null;
  const pem = readFileSync(file, 'utf8');
  const cert = new X509Certificate(pem);
  const name = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject;
  return { pem, info: { url: CA_URL, sha256: cert.fingerprint256, name, validUntil: Date.parse(cert.validTo) } };
}

const tlsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Read once at boot: a broken file stops the boot, like a bad TLS_CERT_FILE does.
  const ca = readCa(app.config.tlsCaFile);
  const none = () => new HttpError(404, 'this server offers no CA certificate (TLS_CA_FILE is not set)');

  app.get('/api/public/ca', { config: { access: 'public' }, schema: { response: { 200: CaInfoSchema } } }, async () => {
    if (!ca) throw none();
    return ca.info;
  });

  app.get('/api/public/ca.crt', { config: { access: 'public' }, schema: { response: { 200: T.String({ description: 'PEM certificate' }) } } }, async (_request, reply) => {
    if (!ca) throw none();
    // Android and iOS offer to install a CA served with this type; the name is what the download is called.
    reply.header('content-type', 'application/x-x509-ca-cert');
    reply.header('content-disposition', 'attachment; filename="lianfang-ca.crt"');
    reply.header('cache-control', 'no-cache');
    return ca.pem;
  });
};
export default tlsRoutes;
