import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { validateGrids, type Grid, type ValidationIssue, type ValidationResult } from '../../../geo/src/index.ts';

const square = [[118.8, 34.1], [118.81, 34.1], [118.81, 34.11], [118.8, 34.11], [118.8, 34.1]];

function grid(overrides: { properties?: Record<string, unknown>; geometry?: unknown; id?: unknown } = {}) {
  return {
    type: 'Feature',
    ...(overrides.id !== undefined ? { id: overrides.id } : {}),
    properties: { id: 'G1', name: '张庄村第1网格', township: 'T01', ...overrides.properties },
    geometry: overrides.geometry === undefined ? { type: 'Polygon', coordinates: [square] } : overrides.geometry,
  };
}
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const polygon = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });

function errorsOf(result: ValidationResult<Grid>): ValidationIssue[] {
  if (result.ok) throw new Error(`expected errors, got ${result.items.length} items`);
  return result.errors;
}
function itemsOf(result: ValidationResult<Grid>): Grid[] {
  if (!result.ok) throw new Error(`expected items, got errors: ${JSON.stringify(result.errors)}`);
  return result.items;
}

describe(validateGrids.name, () => {
  it('accepts a well-formed collection and returns clean grids', () => {
    const result = validateGrids(fc(grid({ properties: { key: true, villageId: 'V001', leader: { name: '王伟', phone: '13900000001' }, workers: [{ name: '李娜', phone: 13900000002 }] } })));
    expect(result).toEqual({
      ok: true,
      warnings: [],
      items: [
        {
          id: 'G1',
          name: '张庄村第1网格',
          townshipId: 'T01',
          villageId: 'V001',
          key: true,
          leader: { name: '王伟', phone: '13900000001' },
          workers: [{ name: '李娜', phone: '13900000002' }],
          geometry: { type: 'Polygon', coordinates: [square] },
        },
      ],
    });
  });

  it('rejects input that is not a FeatureCollection, saying what it got', () => {
    for (const input of [null, 'grids', [grid()], grid(), { type: 'FeatureCollection' }]) {
      const [error] = errorsOf(validateGrids(input));
      expect(error!.index).toBe(-1);
      expect(error!.reason).toMatch(/FeatureCollection/);
    }
  });

  it('rejects grids drawn as points or lines: a grid is a Polygon or MultiPolygon', () => {
    const errors = errorsOf(validateGrids(fc(grid({ geometry: { type: 'Point', coordinates: [118.8, 34.1] } }), grid({ properties: { id: 'G2' }, geometry: { type: 'LineString', coordinates: square } }))));
    expect(errors.map((e) => [e.index, e.id, e.field])).toEqual([[0, 'G1', 'geometry.type'], [1, 'G2', 'geometry.type']]);
    expect(errors[0]!.reason).toMatch(/Polygon or MultiPolygon/);
  });

  it('accepts MultiPolygon grids', () => {
    const other = square.map(([x, y]) => [x! + 0.05, y!]);
    expect(itemsOf(validateGrids(fc(grid({ geometry: { type: 'MultiPolygon', coordinates: [[square], [other]] } }))))[0]!.geometry.type).toBe('MultiPolygon');
  });

  it('rejects a ring that is not closed or has fewer than 4 positions', () => {
    const errors = errorsOf(validateGrids(fc(grid({ geometry: polygon(square.slice(0, 4)) }), grid({ properties: { id: 'G2' }, geometry: polygon([[118.8, 34.1], [118.81, 34.1], [118.8, 34.1]]) }))));
    expect(errors[0]).toMatchObject({ index: 0, field: 'geometry.coordinates[0]', reason: expect.stringMatching(/not closed/) });
    expect(errors[1]).toMatchObject({ index: 1, field: 'geometry.coordinates[0]', reason: expect.stringMatching(/at least 4 positions/) });
  });

  it('rejects coordinates out of range and hints when latitude and longitude look swapped', () => {
    const swapped = square.map(([x, y]) => [y!, x!]);
    const [error] = errorsOf(validateGrids(fc(grid({ geometry: polygon(swapped) }))));
    expect(error).toMatchObject({ index: 0, field: 'geometry.coordinates[0][0]', reason: expect.stringMatching(/out of range.*looks like swapped lat\/lon/) });
    const [far] = errorsOf(validateGrids(fc(grid({ geometry: polygon(square.map(([x, y]) => [x! + 200, y!])) }))));
    expect(far!.reason).toMatch(/out of range/);
    expect(far!.reason).not.toMatch(/swapped/);
  });

  it('warns about swapped coordinates that are in range but would only be in China swapped', () => {
    const arctic = [[34.1, 80], [34.11, 80], [34.11, 80.01], [34.1, 80.01], [34.1, 80]];
    const result = validateGrids(fc(grid({ geometry: polygon(arctic) })));
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings[0]!.reason).toMatch(/looks like swapped lat\/lon/);
  });

  it('rejects coordinates that are NaN, Infinity or strings', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '118.8']) {
      const ring = square.map((p) => [...p]) as unknown[][];
      ring[2] = [bad, 34.11];
      const [error] = errorsOf(validateGrids(fc(grid({ geometry: polygon(ring as number[][]) }))));
      expect(error).toMatchObject({ field: 'geometry.coordinates[0][2]', reason: expect.stringMatching(/longitude must be a finite number/) });
    }
  });

  it('rejects a polygon that crosses itself (a bow tie)', () => {
    const bowTie = [[118.8, 34.1], [118.82, 34.11], [118.82, 34.1], [118.8, 34.13], [118.8, 34.1]];
    const [error] = errorsOf(validateGrids(fc(grid({ geometry: polygon(bowTie) }))));
    expect(error!.reason).toMatch(/intersects itself at \[118\.81(49+\d*|50*\d?), 34\.107/);
  });

  it('rejects a hole that is not inside its outer ring', () => {
    const hole = [[118.9, 34.2], [118.9, 34.21], [118.91, 34.21], [118.91, 34.2], [118.9, 34.2]];
    const [error] = errorsOf(validateGrids(fc(grid({ geometry: polygon(square, hole) }))));
    expect(error).toMatchObject({ field: 'geometry.coordinates[1]', reason: 'hole 1 is not inside the outer ring' });
    const inner = [[118.802, 34.102], [118.802, 34.108], [118.808, 34.108], [118.808, 34.102], [118.802, 34.102]];
    expect(validateGrids(fc(grid({ geometry: polygon(square, inner) }))).ok).toBe(true);
  });

  it('fixes clockwise rings to RFC 7946 winding with a warning instead of rejecting them', () => {
    const clockwise = [...square].reverse();
    const result = validateGrids(fc(grid({ geometry: polygon(clockwise) })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.items[0]!.geometry.coordinates[0]).toEqual(square);
    expect(result.warnings[0]!.reason).toMatch(/winding fixed/);
  });

  it('accepts 3-D positions and drops the altitude', () => {
    const result = validateGrids(fc(grid({ geometry: polygon(square.map(([x, y]) => [x!, y!, 12.5])) })));
    expect(itemsOf(result)[0]!.geometry.coordinates[0]).toEqual(square);
    expect(result.ok && result.warnings[0]!.reason).toMatch(/altitude dropped/);
  });

  it('requires an id, a name and a township, each of the right type', () => {
    const errors = errorsOf(validateGrids(fc(grid({ properties: { id: undefined, name: { zh: '网格' }, township: '' } }))));
    expect(errors.map((e) => e.field).sort()).toEqual(['id', 'name', 'township']);
    const typed = errorsOf(validateGrids(fc(grid({ properties: { key: 'yes', workers: 'nobody', leader: { name: '王伟' } } }))));
    expect(typed.map((e) => e.field).sort()).toEqual(['key', 'leader', 'workers']);
  });

  it("uses the Feature's own id when properties have none", () => {
    expect(itemsOf(validateGrids(fc(grid({ id: 42, properties: { id: undefined } }))))[0]!.id).toBe('42');
  });

  it('rejects duplicate ids, naming the feature that used the id first', () => {
    const [error] = errorsOf(validateGrids(fc(grid(), grid({ properties: { name: '另一个' } }))));
    expect(error).toEqual({ index: 1, id: 'G1', field: 'id', reason: 'duplicate id "G1": already used by feature 0' });
  });

  it('resolves township names to ids when the townships are known, and rejects unknown ones', () => {
    const townships = [{ id: 'T01', name: '沭城街道' }, { id: 'T02', name: '章集街道' }];
    const result = validateGrids(fc(grid({ properties: { township: '章集街道' } }), grid({ properties: { id: 'G2', township: 'T01' } })), { townships });
    expect(itemsOf(result).map((g) => g.townshipId)).toEqual(['T02', 'T01']);
    const [error] = errorsOf(validateGrids(fc(grid({ properties: { township: '火星镇' } })), { townships }));
    expect(error).toMatchObject({ field: 'township', reason: expect.stringMatching(/unknown township "火星镇"/) });
  });

  it('converts GCJ-02 (Gaode) and BD-09 (Baidu) coordinates to WGS-84 when asked', () => {
    for (const [crs, from] of [['gcj02', gcoord.GCJ02], ['bd09', gcoord.BD09]] as const) {
      const [grid0] = itemsOf(validateGrids(fc(grid()), { crs }));
      const [x, y] = (grid0!.geometry.coordinates[0] as number[][])[0]!;
      const expected = gcoord.transform([118.8, 34.1], from, gcoord.WGS84);
      expect(x).toBeCloseTo(expected[0], 9);
      expect(y).toBeCloseTo(expected[1], 9);
      expect(Math.abs(x! - 118.8) + Math.abs(y! - 34.1)).toBeGreaterThan(0.001); // hundreds of metres
    }
  });

  it('collects every error of every feature instead of stopping at the first', () => {
    const errors = errorsOf(validateGrids(fc(grid({ properties: { name: '' } }), grid({ properties: { id: 'G2' }, geometry: null }), 'not a feature', grid({ properties: { id: 'G3', township: undefined } }))));
    expect(errors.map((e) => e.index)).toEqual([0, 1, 2, 3]);
  });

  it('lists at most 1,000 errors and says how many more there are', () => {
    const features = Array.from({ length: 1500 }, (_, i) => grid({ properties: { id: `G${i}`, name: '' } }));
    const errors = errorsOf(validateGrids(fc(...features)));
    expect(errors).toHaveLength(1001);
    expect(errors[1000]).toEqual({ index: -1, reason: '… and 500 more errors not listed' });
  });

  it('never throws on hostile input, reporting it instead', () => {
    const hostile = { type: 'Feature', get geometry(): unknown { throw new Error('boom'); }, properties: { id: 'G1', name: 'x', township: 'T01' } };
    const errors = errorsOf(validateGrids(fc(hostile, null, 7, { type: 'Feature', properties: null, geometry: { type: 'Polygon', coordinates: 'no' } })));
    expect(errors.map((e) => e.index)).toEqual([0, 1, 2, 3, 3]);
    expect(errors[0]!.reason).toMatch(/boom/);
  });
});
