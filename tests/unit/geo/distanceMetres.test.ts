import turfDistance from '@turf/distance';
import { describe, expect, it } from 'vitest';
import { createRandom, distanceMetres } from '../../../geo/src/index.ts';

describe(distanceMetres.name, () => {
  it('agrees with the great-circle distance within 0.5 % anywhere across the county', () => {
    const random = createRandom(1);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const a = [random.between(118.5, 119.1), random.between(33.8, 34.5)] as const;
      const b = [random.between(118.5, 119.1), random.between(33.8, 34.5)] as const;
      const exact = turfDistance([...a], [...b], { units: 'meters' });
      if (exact < 1) continue;
      worst = Math.max(worst, Math.abs(distanceMetres(a[0], a[1], b[0], b[1]) - exact) / exact);
    }
    expect(worst).toBeLessThan(0.005);
  });

  it('is exact enough for a check-in radius: 50 m measured within 5 cm', () => {
    const lat = 34.12 + 50 / 111195;
    expect(Math.abs(distanceMetres(118.79, 34.12, 118.79, lat) - turfDistance([118.79, 34.12], [118.79, lat], { units: 'meters' }))).toBeLessThan(0.05);
  });

  it('takes the short way across the antimeridian', () => {
    expect(distanceMetres(179.999, 0, -179.999, 0)).toBeCloseTo(222.4, 0);
  });
});
