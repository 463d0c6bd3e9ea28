/**
 * Device identifiers: 128 random bits, written in lower-case base32 (26 letters and digits,
 * no padding) so they survive apps that upper-case or URL-encode them, and read back
 * case-insensitively. Only their SHA-256 is stored: a Redis dump leaks no usable identifier.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** A new device identifier: 128 bits from the OS's CSPRNG. */
export function newDeviceIdentifier(): string {
  return base32(randomBytes(16));
}

/** What identifiers look like; anything else is answered as unknown without a Redis lookup. */
export const IDENTIFIER_PATTERN = /^[A-Za-z2-7]{26}$/;

/** The stored form of an identifier (case-insensitive). */
export function hashDeviceIdentifier(identifier: string): string {
  return createHash('sha256').update(identifier.toLowerCase()).digest('base64url');
}
