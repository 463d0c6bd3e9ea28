import { beforeAll, describe, expect, it } from 'vitest';
import { distanceToPolygon } from '../../../geo/src/distanceToPolygon.ts';
import { createLocationIndex, createRandom, distanceMetres, generateDemoCounty, type KeyLocation, type LocationIndex } from '../../../geo/src/index.ts';
import { flattenPolygon } from '../../../geo/src/pointInPolygon.ts';

let locations: KeyLocation[];
let index: LocationIndex;
beforeAll(() => {
  locations = generateDemoCounty().locations;
  index = createLocationIndex(locations);
});

function naiveDistance(location: KeyLocation, lon: number, lat: number): number {
  return location.geometry.type === 'Point'
    ? distanceMetres(lon, lat, location.geometry.coordinates[0]!, location.geometry.coordinates[1]!)
    : distanceToPolygon(lon, lat, flattenPolygon(location.geometry));
}

const point = (id: string, lon: number, lat: number, radius: number): KeyLocation => ({
  id,
  name: id,
  category: 'hotel',
  priority: 2,
  radius,
  geometry: { type: 'Point', coordinates: [lon, lat] },
});

describe(createLocationIndex.name, () => {
  it('finds exactly the locations whose radius plus the extra metres reaches the point, like a naive loop', () => {
    const random = createRandom(11);
    let found = 0;
    for (let i = 0; i < 300; i++) {
      // Near a real location, so most probes hit something.
      const base = locations[random.int(0, locations.length - 1)]!;
      const [bx, by] = base.geometry.type === 'Point' ? base.geometry.coordinates : base.geometry.coordinates[0]![0]!;
      const lon = bx! + random.between(-0.004, 0.004);
      const lat = by! + random.between(-0.003, 0.003);
      const extra = i % 2 ? 0 : 30;
      const expected = locations
        .map((location) => ({ id: location.id, distance: naiveDistance(location, lon, lat), radius: location.radius }))
        .filter((x) => x.distance <= x.radius + extra)
        .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
        .map((x) => x.id);
      expect(index.near(lon, lat, { extraMetres: extra }).map((x) => x.location.id)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(100);
  });

  it('returns the nearest location first and at most `limit` of them', () => {
    const close = createLocationIndex([point('L3', 118.8, 34.1, 300), point('L1', 118.801, 34.1, 300), point('L2', 118.8005, 34.1, 300)]);
    const all = close.near(118.8, 34.1);
    expect(all.map((x) => x.location.id)).toEqual(['L3', 'L2', 'L1']);
    expect(all[0]!.distance).toBe(0);
    expect(all[1]!.distance).toBeCloseTo(46, 0);
    expect(close.near(118.8, 34.1, { limit: 1 }).map((x) => x.location.id)).toEqual(['L3']);
  });

  it('counts a patrol at a location when a poor GPS fix reaches it with the extra metres', () => {
    const hotel = createLocationIndex([point('L1', 118.8, 34.1, 50)]);
    const sixtyMetresNorth = 34.1 + 60 / 111195;
    expect(hotel.near(118.8, sixtyMetresNorth)).toEqual([]);
    expect(hotel.near(118.8, sixtyMetresNorth, { extraMetres: 15 }).map((x) => x.location.id)).toEqual(['L1']);
  });

  it('counts points inside a polygon location, and within its radius of the fence', () => {
    const compound: KeyLocation = {
      id: 'L9',
      name: '小区',
      category: 'residential',
      priority: 3,
      radius: 30,
      geometry: { type: 'Polygon', coordinates: [[[118.8, 34.1], [118.802, 34.1], [118.802, 34.101], [118.8, 34.101], [118.8, 34.1]]] },
    };
    const one = createLocationIndex([compound]);
    expect(one.near(118.801, 34.1005)).toEqual([{ location: compound, distance: 0 }]);
    const twentyMetresEast = 118.802 + 20 / (111195 * Math.cos((34.1005 * Math.PI) / 180));
    expect(one.near(twentyMetresEast, 34.1005)[0]?.distance).toBeCloseTo(20, 1);
    const fiftyMetresEast = 118.802 + 50 / (111195 * Math.cos((34.1005 * Math.PI) / 180));
    expect(one.near(fiftyMetresEast, 34.1005)).toEqual([]);
  });

  it('lists the k nearest locations whatever their radius, like sorting all of them', () => {
    const random = createRandom(3);
    for (let i = 0; i < 100; i++) {
      const lon = random.between(118.55, 119.05);
      const lat = random.between(33.85, 34.45);
      const k = random.int(1, 8);
      const expected = locations
        .map((location) => ({ id: location.id, distance: naiveDistance(location, lon, lat) }))
        .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
        .slice(0, k);
      const got = index.nearest(lon, lat, k);
      expect(got.map((x) => x.location.id)).toEqual(expected.map((x) => x.id));
      got.forEach((x, j) => expect(x.distance).toBeCloseTo(expected[j]!.distance, 6));
    }
  });

  it('rejects a bad point, negative extra metres or a fractional k with a clear error', () => {
    expect(() => index.near(Number.NaN, 34)).toThrow(/longitude, latitude/);
    expect(() => index.near(118.8, 34.1, { extraMetres: -1 })).toThrow(/extraMetres/);
    expect(() => index.nearest(118.8, 34.1, 1.5)).toThrow(/whole number/);
    expect(() => createLocationIndex([{ ...point('L1', 0, 0, 10), geometry: { type: 'LineString', coordinates: [] } } as unknown as KeyLocation])).toThrow(/Point or Polygon/);
  });

  it('answers empty lists from an empty index', () => {
    const empty = createLocationIndex([]);
    expect(empty.near(118.8, 34.1)).toEqual([]);
    expect(empty.nearest(118.8, 34.1, 3)).toEqual([]);
  });
});
