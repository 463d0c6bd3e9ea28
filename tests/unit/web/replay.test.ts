import { describe, expect, it } from 'vitest';
import type { TrackPoint } from '@lianfang/server/api';
import { bearing, indexAt, playhead, positionAt, travelledPath } from '../../../web/src/lib/replay/track.ts';

const T = 1_800_000_000_000;
const fix = (i: number, lon: number, lat = 34.1, heading: number | null = null): TrackPoint => ({
  time: T + i * 10_000,
  lon,
  lat,
  heading,
  speed: null,
  accuracy: 5,
  poor: false,
});
const track = [fix(0, 118.7), fix(1, 118.71), fix(3, 118.73)];

describe(indexAt.name, () => {
  it('finds the last fix at or before a time', () => {
    expect(indexAt(track, T - 1)).toBe(-1);
    expect(indexAt(track, T)).toBe(0);
    expect(indexAt(track, T + 15_000)).toBe(1);
    expect(indexAt(track, T + 99_000)).toBe(2);
  });
});

describe(positionAt.name, () => {
  it('interpolates between the fixes either side, by time', () => {
    const here = positionAt(track, T + 20_000)!;
    expect(here.lon).toBeCloseTo(118.72, 10);
    expect(here.heading).toBeCloseTo(90, 0);
  });

  it('holds the first fix before the track and the last after it', () => {
    expect(positionAt(track, T - 5000)).toMatchObject({ lon: 118.7 });
    expect(positionAt(track, T + 1e9)).toMatchObject({ lon: 118.73 });
    expect(positionAt([], T)).toBeNull();
  });

  it("prefers the device's heading to the direction of travel", () => {
    expect(positionAt([fix(0, 118.7, 34.1, 200), fix(1, 118.71)], T + 5000)!.heading).toBe(200);
  });
});

describe(travelledPath.name, () => {
  it('runs through every fix passed to where the team is now', () => {
    expect(travelledPath(track, T + 20_000).map(([lon]) => Number(lon.toFixed(4)))).toEqual([118.7, 118.71, 118.72]);
    expect(travelledPath(track, T - 1)).toEqual([]);
  });
});

describe(playhead.name, () => {
  it('moves speed × wall-clock time from its anchor, whatever the frames were, and stops at the end', () => {
    const anchor = { wall: 1000, time: T };
    expect(playhead(anchor, 1000 + 500, 60, T + 1e9)).toBe(T + 30_000);
    expect(playhead(anchor, 1000 + 500, 10, T + 1e9)).toBe(T + 5000);
    expect(playhead(anchor, 1000 + 1e9, 60, T + 40_000)).toBe(T + 40_000);
    // A frame stamped just before the anchor (rAF's timestamp is the frame's start) never goes back.
    expect(playhead(anchor, 990, 60, T + 1e9)).toBe(T);
  });
});

describe(bearing.name, () => {
  it('reads degrees clockwise from north', () => {
    expect(bearing([118, 34], [118, 34.1])).toBeCloseTo(0);
    expect(bearing([118, 34], [118.1, 34])).toBeCloseTo(90);
    expect(bearing([118, 34], [118, 33.9])).toBeCloseTo(180);
  });
});
