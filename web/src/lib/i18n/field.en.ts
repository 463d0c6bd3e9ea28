/** Phones in the field: the admin's CA certificate tab (HTTPS for phones) and the patrol app's screen wake lock, in English. */
import type { fieldZh } from './field.zh';

export const fieldEn = {
  'field.tab': 'Phones in the field',
  'field.caTitle': "Make phones trust this server's certificate",
  'field.caIntro': "This server's HTTPS certificate is signed by a private certificate authority (CA). Install the CA certificate below once on each patrol phone: the patrol page then opens without a security warning, and location, keeping the screen on and opening offline work.",
  'field.caQrLabel': 'QR code to download the CA certificate',
  'field.caDownload': 'Download the CA certificate',
  'field.caName': 'Certificate name',
  'field.caSha256': 'SHA-256 fingerprint',
  'field.caValidUntil': 'Valid until',
  'field.caCheck': "Before installing, check on the phone that the certificate's fingerprint is the one shown here.",
  'field.warnOnce': 'Until the certificate is installed the phone\'s browser warns once that "the connection is not private": that is expected; continue to download it.',
  'field.android': 'Android: scan and download, then Settings → Security → Encryption & credentials → Install a certificate → CA certificate, and pick lianfang-ca.crt.',
  'field.iphone': 'iPhone: scan with Safari and allow the download, then Settings → Profile Downloaded → Install; then Settings → General → About → Certificate Trust Settings and turn on full trust for it.',
  'field.patrolTitle': 'Install the patrol app',
  'field.patrolSteps': 'Once the certificate is trusted, scan the set-up QR code from the team\'s Phones screen to open the patrol page, then choose "Install app" or "Add to Home screen" in the browser menu. Installed, it opens without a network, and check-ins made offline arrive once it is back, counted once.',
  'field.patrolIphone': 'On iPhone the home-screen app does not share storage with Safari: sign in with a patrol account in the app, or keep using the set-up link in Safari.',
  'field.noCa': 'This server offers no CA certificate of its own: it runs over plain HTTP, or its certificate comes from a reverse proxy or a public CA (nothing to install on phones). See "Phones in the field" in the README.',
  'field.notHttps': 'This connection is not HTTPS: location, keeping the screen on and opening offline all need HTTPS on phones. Start with HTTPS=true npm start, or put a reverse proxy in front (docker compose includes Caddy).',
  'field.loadFailed': 'Could not load the certificate details: {reason}',
  'field.screenOn': 'Screen kept on',
} as const satisfies Record<keyof typeof fieldZh, string>;
