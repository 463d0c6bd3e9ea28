import { describe, expect, it } from 'vitest';
import { hasMalformedDevice, locationOfCode, newCheckInId, parseFragment } from '../../../web/src/lib/patrol/link.ts';

const ID = 'tggp3lictdoivltgbqittjq2mu';

describe(parseFragment.name, () => {
  it('reads the device identifier (case-insensitive) and a scanned check-in code from the fragment', () => {
    expect(parseFragment(`#device=${ID.toUpperCase()}`)).toEqual({ device: ID, checkin: null });
    expect(parseFragment('#checkin=L-1.3.abcDEF_-')).toEqual({ device: null, checkin: 'L-1.3.abcDEF_-' });
    expect(parseFragment('')).toEqual({ device: null, checkin: null });
  });

  it('refuses a truncated identifier, and tells the page so', () => {
    expect(parseFragment(`#device=${ID.slice(0, 20)}`).device).toBeNull();
    expect(hasMalformedDevice(`#device=${ID.slice(0, 20)}`)).toBe(true);
    expect(hasMalformedDevice(`#device=${ID}`)).toBe(false);
    expect(hasMalformedDevice('')).toBe(false);
  });
});

describe(newCheckInId.name, () => {
  it('makes ids the server accepts, with or without crypto.randomUUID (plain-http intranets)', () => {
    const pattern = /^[A-Za-z0-9_-]{8,64}$/;
    expect(newCheckInId()).toMatch(pattern);
    const insecure = { getRandomValues: <T extends ArrayBufferView>(a: T) => crypto.getRandomValues(a as never) as T };
    const id = newCheckInId(insecure as never);
    expect(id).toMatch(pattern);
    expect(id).toHaveLength(32);
    expect(newCheckInId(insecure as never)).not.toBe(id);
  });
});

describe(locationOfCode.name, () => {
  it('takes the location from a QR code', () => {
    expect(locationOfCode('L0042.2.sig')).toBe('L0042');
    expect(locationOfCode('')).toBeNull();
  });
});
