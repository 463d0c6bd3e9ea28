import { describe, expect, it } from 'vitest';
import { hashDeviceIdentifier, IDENTIFIER_PATTERN, newDeviceIdentifier } from '../../../../server/src/devices/identifier.ts';

describe(newDeviceIdentifier.name, () => {
  it('writes 128 random bits as 26 lower-case base32 characters, every one different', () => {
    const ids = Array.from({ length: 2000 }, newDeviceIdentifier);
    for (const id of ids) expect(id).toMatch(IDENTIFIER_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    // Every base32 symbol shows up in every position but the last (which carries 3 bits): no stuck bits.
    for (let pos = 0; pos < 25; pos++) expect(new Set(ids.map((id) => id[pos])).size).toBe(32);
    expect(new Set(ids.map((id) => id[25])).size).toBe(8);
  });

  it('hashes case-insensitively, so an app that upper-cases the identifier still matches', () => {
    const id = newDeviceIdentifier();
    expect(hashDeviceIdentifier(id.toUpperCase())).toBe(hashDeviceIdentifier(id));
    expect(hashDeviceIdentifier(id)).not.toContain(id);
  });
});
