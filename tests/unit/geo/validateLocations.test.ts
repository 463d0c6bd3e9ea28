import { describe, expect, it } from 'vitest';
import { validateLocations, type KeyLocation, type ValidationIssue, type ValidationResult } from '../../../geo/src/index.ts';

function location(properties: Record<string, unknown> = {}, geometry: unknown = { type: 'Point', coordinates: [118.79, 34.12] }) {
  return { type: 'Feature', properties: { id: 'L1', name: '沭阳汽车站', category: 'station', ...properties }, geometry };
}
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
function errorsOf(result: ValidationResult<KeyLocation>): ValidationIssue[] {
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}
function itemsOf(result: ValidationResult<KeyLocation>): KeyLocation[] {
  if (!result.ok) throw new Error(`expected items, got ${JSON.stringify(result.errors)}`);
  return result.items;
}
const compound = { type: 'Polygon', coordinates: [[[118.79, 34.12], [118.792, 34.12], [118.792, 34.121], [118.79, 34.121], [118.79, 34.12]]] };

describe(validateLocations.name, () => {
  it('defaults priority to 3 and radius to 50 metres', () => {
    expect(itemsOf(validateLocations(fc(location())))).toEqual([
      { id: 'L1', name: '沭阳汽车站', category: 'station', priority: 3, radius: 50, geometry: { type: 'Point', coordinates: [118.79, 34.12] } },
    ]);
  });

  it('keeps the optional address, opening hours, grid and township', () => {
    const [item] = itemsOf(validateLocations(fc(location({ priority: 1, radius: 200, address: '沭阳县人民路1号', openingHours: '05:30-22:00', gridId: 'G0001', townshipId: 'T01' }))));
    expect(item).toMatchObject({ priority: 1, radius: 200, address: '沭阳县人民路1号', openingHours: '05:30-22:00', gridId: 'G0001', townshipId: 'T01' });
  });

  it('accepts points and polygons but not multipolygons or lines', () => {
    expect(itemsOf(validateLocations(fc(location({}, compound))))[0]!.geometry.type).toBe('Polygon');
    const errors = errorsOf(validateLocations(fc(location({}, { type: 'MultiPolygon', coordinates: [compound.coordinates] }), location({ id: 'L2' }, { type: 'LineString', coordinates: [[0, 0], [1, 1]] }))));
    expect(errors.map((e) => e.reason)).toEqual([expect.stringMatching(/expected Point or Polygon/), expect.stringMatching(/expected Point or Polygon/)]);
  });

  it('rejects a category outside the known list, naming the allowed ones', () => {
    const [error] = errorsOf(validateLocations(fc(location({ category: 'bar' }))));
    expect(error).toMatchObject({ field: 'category', reason: expect.stringMatching(/unknown category "bar"; expected one of station, hotel/) });
    expect(errorsOf(validateLocations(fc(location({ category: undefined })))).map((e) => e.reason)).toEqual(['category is required']);
  });

  it('rejects priorities other than 1, 2 or 3 and radii that are negative, huge or not numbers', () => {
    for (const priority of [0, 4, 1.5, '1']) expect(errorsOf(validateLocations(fc(location({ priority }))))[0]!.field).toBe('priority');
    for (const radius of [-1, 1e6, 'far']) expect(errorsOf(validateLocations(fc(location({ radius }))))[0]!.field).toBe('radius');
  });

  it('rejects opening hours that do not read like 08:00-22:00', () => {
    expect(errorsOf(validateLocations(fc(location({ openingHours: '8am-10pm' }))))[0]).toMatchObject({ field: 'openingHours' });
  });

  it('rejects a point whose coordinates are swapped, with the hint', () => {
    const [error] = errorsOf(validateLocations(fc(location({}, { type: 'Point', coordinates: [34.12, 118.79] }))));
    expect(error).toMatchObject({ field: 'geometry.coordinates', reason: expect.stringMatching(/looks like swapped lat\/lon/) });
  });

  it('rejects duplicate location ids', () => {
    expect(errorsOf(validateLocations(fc(location(), location())))[0]).toMatchObject({ index: 1, id: 'L1', field: 'id' });
  });
});

describe('import options', () => {
  it('rejects an unknown coordinate system once, not once per feature', () => {
    const errors = errorsOf(validateLocations(fc(location(), location({ id: 'L2' })), { crs: 'utm' as never }));
    expect(errors).toEqual([{ index: -1, field: 'crs', reason: 'unknown coordinate system "utm"; expected wgs84, gcj02 or bd09' }]);
  });
});
