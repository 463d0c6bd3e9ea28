import { describe, expect, it } from 'vitest';
import { distanceMetres, nearestFirst, roundDistance } from '../../../web/src/lib/patrol/geo.ts';

describe(nearestFirst.name, () => {
  const loc = (id: string, lon: number, lat: number, radius = 50) => ({ id, name: id, category: 'hotel', lon, lat, radius });

  it('sorts the team’s key locations by distance from the fix and marks those within radius + accuracy', () => {
    const locations = [loc('far', 118.8, 34.12), loc('near', 118.7705, 34.12), loc('here', 118.77, 34.1203)];
    const sorted = nearestFirst(locations, { lon: 118.77, lat: 34.12, accuracy: 10 });
    expect(sorted.map((n) => n.location.id)).toEqual(['here', 'near', 'far']);
    expect(sorted.map((n) => n.inRange)).toEqual([true, true, false]);
    expect(sorted[0]!.distance).toBeCloseTo(33.4, 0);
  });

  it('lists by name before the first fix', () => {
    const sorted = nearestFirst([loc('b', 0, 0), loc('a', 1, 1)], null);
    expect(sorted.map((n) => [n.location.id, n.distance])).toEqual([
      ['a', null],
      ['b', null],
    ]);
  });
});

describe(distanceMetres.name, () => {
  it('measures a degree of latitude as about 111 km', () => {
    expect(distanceMetres(118.77, 34, 118.77, 35)).toBeCloseTo(111_195, -2);
  });
});

describe(roundDistance.name, () => {
  it('shows whole metres below a kilometre and tenths of a kilometre above', () => {
    expect(roundDistance(319.6)).toEqual({ unit: 'm', value: 320 });
    expect(roundDistance(1449)).toEqual({ unit: 'km', value: 1.4 });
  });
});
