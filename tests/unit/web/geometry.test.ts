import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { bboxOf, labelPoint } from '../../../web/src/lib/map/geometry.ts';

const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] };
/** A "U": its centroid falls in the notch, outside the shape. */
const u: Polygon = {
  type: 'Polygon',
  coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
};

describe(bboxOf.name, () => {
  it('spans every ring and part', () => {
    expect(bboxOf(square)).toEqual([0, 0, 2, 2]);
    expect(
      bboxOf({ type: 'MultiPolygon', coordinates: [square.coordinates, [[[5, -1], [6, -1], [6, 1], [5, -1]]]] }),
    ).toEqual([0, -1, 6, 2]);
  });
});

describe(labelPoint.name, () => {
  it('puts a square grid label at its centre', () => {
    expect(labelPoint(square)).toEqual([1, 1]);
  });

  it('still returns a point for a shape whose centroid lies outside it', () => {
    const point = labelPoint(u);
    expect(point).not.toBeNull();
    expect(point).toEqual([1.5, 1.5]);
  });
});
