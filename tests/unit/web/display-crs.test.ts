import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { gcj02ToWgs84, shiftGeoJSON, wgs84ToGcj02 } from '../../../web/src/lib/map/display-crs.ts';

describe(wgs84ToGcj02.name, () => {
  it("shifts Tiananmen's WGS-84 position to where GCJ-02 basemaps draw it", () => {
    const [lon, lat] = wgs84ToGcj02([116.397, 39.909]);
    expect(lon).toBeCloseTo(116.4032, 4);
    expect(lat).toBeCloseTo(39.9104, 4);
  });

  it('shifts Shuyang by a few hundred metres, as basemaps in the county are off', () => {
    const [lon, lat] = wgs84ToGcj02([118.77, 34.12]);
    const metres = Math.hypot((lon - 118.77) * 111_320 * Math.cos((34.12 * Math.PI) / 180), (lat - 34.12) * 110_574);
    expect(metres).toBeGreaterThan(300);
    expect(metres).toBeLessThan(800);
  });

  it('leaves points outside China alone', () => {
    expect(wgs84ToGcj02([2.35, 48.86])).toEqual([2.35, 48.86]);
  });
});

describe(gcj02ToWgs84.name, () => {
  it('maps a GCJ-02 position back to WGS-84 to well under a centimetre', () => {
    for (const point of [
      [116.397, 39.909],
      [118.77, 34.12],
      [121.4737, 31.2304],
      [113.2644, 23.1291],
    ] as [number, number][]) {
      const [lon, lat] = gcj02ToWgs84(wgs84ToGcj02(point));
      expect(Math.abs(lon - point[0])).toBeLessThan(1e-7);
      expect(Math.abs(lat - point[1])).toBeLessThan(1e-7);
    }
    const [lon, lat] = gcj02ToWgs84([116.4032, 39.9104]);
    expect(lon).toBeCloseTo(116.397, 3);
    expect(lat).toBeCloseTo(39.909, 3);
  });
});

describe(shiftGeoJSON.name, () => {
  it('shifts every position of every geometry and keeps the properties', () => {
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Point', coordinates: [118.77, 34.12] } },
        {
          type: 'Feature',
          properties: { id: 'b' },
          geometry: { type: 'MultiPolygon', coordinates: [[[[118.7, 34.1], [118.8, 34.1], [118.8, 34.2], [118.7, 34.1]]]] },
        },
      ],
    };
    const shifted = shiftGeoJSON(data, wgs84ToGcj02);
    expect(shifted.features[0]!.properties).toBe(data.features[0]!.properties);
    expect(shifted.features[0]!.geometry).toEqual({ type: 'Point', coordinates: wgs84ToGcj02([118.77, 34.12]) });
    const ring = (shifted.features[1]!.geometry as { coordinates: number[][][][] }).coordinates[0]![0]!;
    expect(ring[2]).toEqual(wgs84ToGcj02([118.8, 34.2]));
    // The original is untouched.
    expect((data.features[0]!.geometry as { coordinates: number[] }).coordinates).toEqual([118.77, 34.12]);
  });
});
