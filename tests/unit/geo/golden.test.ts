/**
 * Golden files: points in tests/fixtures/geo/in → the grid and locations found for each in
 * tests/fixtures/geo/out, on the demo county. A change in the generator or the indexes shows up
 * as a diff. Regenerate on purpose with UPDATE_GOLDEN=1.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGridIndex, createLocationIndex, generateDemoCounty, type GridIndex, type LocationIndex } from '../../../geo/src/index.ts';
import type { Feature, FeatureCollection, Point } from 'geojson';

const fixtures = join(import.meta.dirname, '../../fixtures/geo');
const update = process.env.UPDATE_GOLDEN === '1';

let grids: GridIndex;
let locations: LocationIndex;
beforeAll(() => {
  const demo = generateDemoCounty();
  grids = createGridIndex(demo.grids);
  locations = createLocationIndex(demo.locations);
});

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** One feature per line, so a diff points at the point that changed. */
function format(features: Feature[]): string {
  return '{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
}

function answer(feature: Feature<Point>): Feature<Point> {
  const [lon, lat] = feature.geometry.coordinates.map(round6) as [number, number];
  const extraMetres = Number(feature.properties?.extraMetres ?? 0);
  return {
    type: 'Feature',
    properties: {
      ...feature.properties,
      gridId: grids.gridAt(lon, lat)?.id ?? null,
      locationIds: locations.near(lon, lat, { extraMetres }).map((x) => x.location.id),
      nearestIds: locations.nearest(lon, lat, 3).map((x) => x.location.id),
    },
    geometry: { type: 'Point', coordinates: [lon, lat] },
  };
}

describe('golden point lookups on the demo county', () => {
  const inputs = readdirSync(join(fixtures, 'in')).filter((name) => name.endsWith('.geojson'));

  it('has golden inputs to check', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of inputs) {
    it(`finds the same grids and locations as recorded for ${name}`, () => {
      const input = JSON.parse(readFileSync(join(fixtures, 'in', name), 'utf8')) as FeatureCollection<Point>;
      const actual = format(input.features.map(answer));
      const outPath = join(fixtures, 'out', name);
      if (update || !existsSync(outPath)) {
        if (!update) throw new Error(`${outPath} is missing: run with UPDATE_GOLDEN=1 to record it`);
        writeFileSync(outPath, actual);
      }
      expect(actual).toBe(readFileSync(outPath, 'utf8'));
    });
  }
});
