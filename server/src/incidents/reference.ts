/** Public reference numbers (查询号) of incidents: what a resident reads out or types to ask about one. */
import { randomBytes } from 'node:crypto';

/** Crockford base32: no I L O U, so a reference read over the phone is not mistaken. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 10;

/** 10 Crockford base32 characters from the system's random source (50 bits). */
export function newReference(): string {
  const bytes = randomBytes(REFERENCE_LENGTH);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out;
}

/** A reference as typed by a resident: case, spaces and dashes ignored, O read as 0, I and L as 1. */
export function normaliseReference(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
