import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeTrackBlock, encodeTrackBlock, mergeHistoryPoints, quantizeHistoryPoint, type HistoryPoint } from '../../../../geo/src/index.ts';
import { patrolTrack } from '../../../fixtures/patrolTrack.ts';

const HOUR = Date.UTC(2027, 1, 16, 12);
const bytesPerPosition = (points: HistoryPoint[]) => deflateRawSync(encodeTrackBlock(points), { level: 9 }).length / points.length;

describe('track blocks (encodeTrackBlock / decodeTrackBlock)', () => {
  it('gives back every position of an hour as it was, rounded to 0.1 m, whole degrees of heading, 0.1 m/s and 0.1 m', () => {
    const points = patrolTrack({ start: HOUR, count: 720, clock: 'ms' });
    const back = decodeTrackBlock(encodeTrackBlock(points));
    expect(back).toHaveLength(720);
    expect(back).toEqual(points.map(quantizeHistoryPoint).sort((a, b) => a.time - b.time));
    for (let i = 0; i < points.length; i++) {
      const p = points.find((q) => q.time === back[i]!.time)!;
      expect(Math.abs(back[i]!.lon - p.lon)).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(back[i]!.lat - p.lat)).toBeLessThanOrEqual(5e-7);
    }
  });

  it('keeps missing heading, speed and accuracy missing, poor fixes poor, and who reported each', () => {
    const points: HistoryPoint[] = [
      { time: HOUR + 5000, lon: 118.1, lat: 33.9, heading: null, speed: 1.4, accuracy: null, poor: false, device: 'dev-a' },
      { time: HOUR, lon: 118.10001, lat: 33.90002, heading: 359.6, speed: null, accuracy: 120, poor: true, device: '巡逻-b' },
      { time: HOUR + 10_000, lon: -0.000001, lat: -33.5, heading: 0, speed: 0, accuracy: 0, poor: false, device: 'dev-a' },
    ];
    expect(decodeTrackBlock(encodeTrackBlock(points))).toEqual([
      { time: HOUR, lon: 118.10001, lat: 33.90002, heading: 360, speed: null, accuracy: 120, poor: true, device: '巡逻-b' },
      { time: HOUR + 5000, lon: 118.1, lat: 33.9, heading: null, speed: 1.4, accuracy: null, poor: false, device: 'dev-a' },
      { time: HOUR + 10_000, lon: -0.000001, lat: -33.5, heading: 0, speed: 0, accuracy: 0, poor: false, device: 'dev-a' },
    ]);
    expect(decodeTrackBlock(encodeTrackBlock([]))).toEqual([]);
  });

  it('stores a position met twice once (a block merged again with the same fixes)', () => {
    const points = patrolTrack({ start: HOUR, count: 100 });
    const merged = mergeHistoryPoints(decodeTrackBlock(encodeTrackBlock(points.slice(0, 60))), points.slice(40));
    expect(merged).toEqual(decodeTrackBlock(encodeTrackBlock(points)));
    expect(merged).toHaveLength(100);
  });

  it('takes at most 12 bytes a position once deflated, on foot and by car, on whole-second and millisecond clocks', () => {
    for (const clock of ['seconds', 'ms'] as const) {
      for (const mode of ['foot', 'car'] as const) {
        const size = bytesPerPosition(patrolTrack({ seed: 7, start: HOUR, count: 720, clock, mode }));
        expect(size, `${mode}, ${clock}`).toBeLessThanOrEqual(mode === 'foot' && clock === 'seconds' ? 6 : 9);
      }
    }
  });

  it('refuses bytes that are not a block instead of inventing positions', () => {
    const bytes = encodeTrackBlock(patrolTrack({ start: HOUR, count: 10 }));
    expect(() => decodeTrackBlock(bytes.subarray(0, bytes.length - 3))).toThrow(RangeError);
    expect(() => decodeTrackBlock(Uint8Array.of(9, 1, 0))).toThrow(/version/);
  });
});
