import { describe, expect, it } from 'vitest';
import { periodCovers, perimeterContains, positionAt, postStaffing, staffingSpans, type EventPost } from '../../../geo/src/index.ts';

const post = (id: string, lon: number, over: Partial<EventPost> = {}): EventPost => ({ id, name: id, lon, lat: 33.85, radius: 100, headcount: 1, teamIds: [], ...over });
const NOW = 1_000_000_000;
const opts = { since: NOW - 3_600_000, staleAfterMs: 600_000, now: NOW };

describe(postStaffing.name, () => {
  it('counts a team at the nearest post whose radius holds its fix, once', () => {
    const r = postStaffing([post('A', 118.62), post('B', 118.6205)], [{ teamId: 't1', lon: 118.6204, lat: 33.85, time: NOW }], new Map(), opts);
    expect(r).toEqual([
      { postId: 'A', present: [], state: 'short' },
      { postId: 'B', present: ['t1'], state: 'staffed' },
    ]);
  });

  it('places nobody by a stale fix or one from before the event', () => {
    const posts = [post('A', 118.62)];
    expect(postStaffing(posts, [{ teamId: 't1', lon: 118.62, lat: 33.85, time: NOW - 700_000 }], new Map(), opts)[0]!.present).toEqual([]);
    expect(postStaffing(posts, [{ teamId: 't1', lon: 118.62, lat: 33.85, time: NOW - 4_000_000 }], new Map(), { ...opts, staleAfterMs: 1e9 })[0]!.present).toEqual([]);
  });

  it('takes a check-in since the latest fix over the fix, and a later fix over the check-in', () => {
    const posts = [post('A', 118.62), post('B', 118.7, { headcount: 2 })];
    const far = { teamId: 't1', lon: 118.65, lat: 33.85, time: NOW - 1000 };
    expect(postStaffing(posts, [far], new Map([['t1', { postId: 'B', time: NOW }]]), opts)[1]).toEqual({ postId: 'B', present: ['t1'], state: 'short' });
    expect(postStaffing(posts, [{ ...far, time: NOW }], new Map([['t1', { postId: 'B', time: NOW - 1000 }]]), opts)[1]!.present).toEqual([]);
  });
});

describe(staffingSpans.name, () => {
  it('cuts the window at each change, short with nobody before the first', () => {
    const [r] = staffingSpans(['P'], [{ postId: 'P', at: 70, state: 'short', count: 0 }, { postId: 'P', at: 30, state: 'staffed', count: 1 }, { postId: 'Q', at: 10, state: 'staffed', count: 1 }], 0, 100);
    expect(r!.spans).toEqual([
      { from: 0, to: 30, state: 'short', count: 0 },
      { from: 30, to: 70, state: 'staffed', count: 1 },
      { from: 70, to: 100, state: 'short', count: 0 },
    ]);
    expect(r!.staffedShare).toBeCloseTo(0.4);
  });
});

describe(positionAt.name, () => {
  const track = [{ time: 0, lon: 0, lat: 0 }, { time: 10, lon: 1, lat: 2 }];
  it('interpolates between fixes, holds the last one for a while, and knows nothing before the first', () => {
    expect(positionAt(track, 5)).toEqual({ lon: 0.5, lat: 1 });
    expect(positionAt(track, 100, { holdMs: 200 })).toEqual({ lon: 1, lat: 2 });
    expect(positionAt(track, 1000, { holdMs: 200 })).toBeUndefined();
    expect(positionAt(track, -1)).toBeUndefined();
  });
});

describe(perimeterContains.name, () => {
  it('tests a polygon, or the grid a point lies in', () => {
    const polygon = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    expect(perimeterContains({ polygon }, 0.5, 0.5, () => undefined)).toBe(true);
    expect(perimeterContains({ polygon }, 1.5, 0.5, () => undefined)).toBe(false);
    expect(perimeterContains({ gridIds: ['G1'] }, 5, 5, () => 'G1')).toBe(true);
    expect(perimeterContains({ gridIds: ['G1'] }, 5, 5, () => 'G2')).toBe(false);
  });
});

describe('periodCovers with named locations', () => {
  it('takes in only the named locations (an event drawn as a polygon)', () => {
    const period = { scope: { locationIds: ['L1'] } };
    expect(periodCovers(period, { id: 'L1', category: 'station', priority: 1 })).toBe(true);
    expect(periodCovers(period, { id: 'L2', category: 'station', priority: 1 })).toBe(false);
  });
});
