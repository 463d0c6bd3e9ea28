import { describe, expect, it } from 'vitest';
import { checkFix, FixError } from '../../../geo/src/index.ts';

const NOW = Date.UTC(2027, 1, 16, 12, 0, 0);
const limits = { now: NOW, futureToleranceMs: 120_000, retentionMs: 90 * 86_400_000, area: [117.6, 32.8, 119.8, 34.9] as [number, number, number, number] };

describe(checkFix.name, () => {
  const fails = (fix: Parameters<typeof checkFix>[0]) => {
    try {
      checkFix(fix, limits);
    } catch (err) {
      return err as FixError;
    }
    return undefined;
  };

  it('accepts a fix in the county within the clock tolerance', () => {
    expect(fails({ lon: 118.62, lat: 33.85, time: NOW + 119_000 })).toBeUndefined();
    expect(fails({ lon: 118.62, lat: 33.85, time: NOW - 89 * 86_400_000 })).toBeUndefined();
  });

  it.each([
    ['ahead of the clock', { lon: 118.62, lat: 33.85, time: NOW + 121_000 }, 'time', /121 s ahead/],
    ['older than retention', { lon: 118.62, lat: 33.85, time: NOW - 91 * 86_400_000 }, 'time', /retention/],
    ['in seconds', { lon: 118.62, lat: 33.85, time: NOW / 1000 }, 'time', /seconds instead of milliseconds/],
    ['at (0, 0)', { lon: 0, lat: 0, time: NOW }, 'lat', /no GPS fix/],
    ['far away', { lon: 116.4, lat: 39.9, time: NOW }, 'lat', /far outside/],
  ])('refuses a fix %s', (_name, fix, field, message) => {
    const err = fails(fix);
    expect(err).toBeInstanceOf(FixError);
    expect(err).toMatchObject({ status: 422, field });
    expect(err!.message).toMatch(message);
  });

  it('says so when latitude and longitude are swapped', () => {
    // A county at 40–50° E, 10–20° N: (lon 15, lat 45) is its point (45, 15) written backwards.
    const area = [40, 10, 50, 20] as [number, number, number, number];
    expect(() => checkFix({ lon: 15, lat: 45, time: NOW }, { ...limits, area })).toThrow(/swapped/);
    expect(() => checkFix({ lon: 60, lat: 45, time: NOW }, { ...limits, area })).not.toThrow(/swapped/);
  });
});
