/** GET /api/public/ca's shape: the private CA phones must trust to open this server over HTTPS. */
import { Type as T, type Static } from '@sinclair/typebox';

export const CaInfoSchema = T.Object({
  /** Where the certificate itself is downloaded (PEM, application/x-x509-ca-cert). */
  url: T.String(),
  /** SHA-256 fingerprint, colon-separated hex, to compare on the phone before trusting it. */
  sha256: T.String(),
  /** The CA's subject as the phone shows it (mkcert: "mkcert user@host"). */
  name: T.String(),
  /** When the CA stops being valid, ms since epoch. */
  validUntil: T.Integer(),
});
export type CaInfoResponse = Static<typeof CaInfoSchema>;
