import { describe, expect, it } from 'vitest';
import { FIX_FRESH_MS, fixFromPosition, isFresh, worthKeeping } from '../../../web/src/lib/patrol/fixes.ts';

const T = 1_800_000_000_000;

describe(worthKeeping.name, () => {
  const at = (time: number, east = 0) => ({ lon: 118.77 + east / 92_000, lat: 34.12, time });

  it('keeps a fix every 5 s standing still, and sooner after moving 10 m', () => {
    expect(worthKeeping(null, at(T))).toBe(true);
    expect(worthKeeping(at(T), at(T + 1000))).toBe(false);
    expect(worthKeeping(at(T), at(T + 1000, 15))).toBe(true);
    expect(worthKeeping(at(T), at(T + 5000))).toBe(true);
  });

  it('ignores a repeat of the same fix', () => {
    expect(worthKeeping(at(T), at(T, 50))).toBe(false);
  });
});

describe(fixFromPosition.name, () => {
  const position = (coords: Partial<GeolocationCoordinates>): GeolocationPosition =>
    ({ timestamp: T + 0.4, coords: { latitude: 34.12, longitude: 118.77, accuracy: 12.34, heading: null, speed: null, altitude: null, altitudeAccuracy: null, ...coords } }) as GeolocationPosition;

  it('leaves out what the server would reject: no heading while standing, no negative speed', () => {
    expect(fixFromPosition(position({ heading: NaN, speed: -1 }))).toEqual({ lon: 118.77, lat: 34.12, time: T, accuracy: 12.3 });
    expect(fixFromPosition(position({ heading: 90.4, speed: 1.26 }))).toEqual({ lon: 118.77, lat: 34.12, time: T, accuracy: 12.3, heading: 90, speed: 1.3 });
  });

  it('carries the battery percent when the browser tells it', () => {
    expect(fixFromPosition(position({}), 42)).toEqual({ lon: 118.77, lat: 34.12, time: T, accuracy: 12.3, battery: 42 });
    expect(fixFromPosition(position({}), undefined)).not.toHaveProperty('battery');
  });
});

describe(isFresh.name, () => {
  it('takes a fix for where the phone is for a minute after it arrived, not longer', () => {
    expect(isFresh(T, T + FIX_FRESH_MS)).toBe(true);
    expect(isFresh(T, T + FIX_FRESH_MS + 1)).toBe(false);
  });
});
