import { describe, expect, it } from 'vitest';
import { distanceMetres } from '../../../../geo/src/index.ts';
import { chooseStops, patrolLoop, SPEED, type Stop } from '../../../../scripts/simulate.ts';

const A: Stop = { id: 'A', lon: 118.62, lat: 33.85, radius: 100 };
const B: Stop = { id: 'B', lon: 118.63, lat: 33.85, radius: 100 }; // ~925 m east of A
const C: Stop = { id: 'C', lon: 118.63, lat: 33.86, radius: 100 };

describe(patrolLoop.name, () => {
  it('walks at 1.4 m/s between stops and stays the dwell time at each', () => {
    const loop = patrolLoop([A, B], SPEED.security, 150);
    const legS = distanceMetres(A.lon, A.lat, B.lon, B.lat) / 1.4;
    expect(loop.cycleS).toBeCloseTo(2 * (150 + legS), 6);
    expect(loop.at(10)).toMatchObject({ at: A, speed: 0, lon: A.lon });
    const mid = loop.at(150 + legS / 2);
    expect(mid).toMatchObject({ at: null, speed: 1.4, heading: expect.closeTo(90, 0) });
    expect(distanceMetres(mid.lon, mid.lat, A.lon, A.lat)).toBeCloseTo(distanceMetres(A.lon, A.lat, B.lon, B.lat) / 2, 0);
    // Five seconds of walking covers seven metres.
    const a = loop.at(200);
    const b = loop.at(205);
    expect(distanceMetres(a.lon, a.lat, b.lon, b.lat)).toBeCloseTo(7, 1);
  });

  it('says it arrived exactly once per visit, whatever the tick', () => {
    const loop = patrolLoop([A, B, C], SPEED.police, 120);
    for (const tick of [1, 5, 7, 30]) {
      let arrivals = 0;
      let previous = -1;
      for (let t = 0; t < loop.cycleS * 2; t += tick) {
        if (loop.at(t, previous).arrived) arrivals++;
        previous = t;
      }
      // Two cycles of three stops, minus the stop it started at (not seen arriving).
      expect(arrivals).toBe(5);
    }
  });

  it('drives a police car at 10 m/s and rides an e-bike at 5 m/s', () => {
    expect(SPEED).toMatchObject({ police: 10, grid: 5, security: 1.4, volunteer: 1.4 });
    const car = patrolLoop([A, B], SPEED.police, 0);
    expect(car.cycleS).toBeCloseTo((2 * distanceMetres(A.lon, A.lat, B.lon, B.lat)) / 10, 6);
  });
});

describe(chooseStops.name, () => {
  it('picks nearby locations and visits each next-nearest', () => {
    const far: Stop = { id: 'F', lon: 119.5, lat: 34.5, radius: 50 };
    const route = chooseStops([C, far, A, B], 3, 2);
    expect(route.map((s) => s.id)).toEqual(['A', 'B', 'C']);
  });
});
