import { describe, expect, it } from 'vitest';
import { basemapCrs, basemapSource } from '../../../web/src/lib/map/basemap.ts';

describe(basemapSource.name, () => {
  it('draws an XYZ basemap from its URL template and a PMTiles one through the pmtiles:// protocol', () => {
    expect(basemapSource({ kind: 'none' })).toBeNull();
    expect(basemapSource({ kind: 'xyz', url: '/tiles/{z}/{x}/{y}.png', crs: 'wgs84', attribution: '' })).toMatchObject({
      type: 'raster',
      tiles: ['/tiles/{z}/{x}/{y}.png'],
    });
    expect(basemapSource({ kind: 'pmtiles', url: '/basemap/shuyang.pmtiles', crs: 'gcj02', attribution: '' })).toMatchObject({
      type: 'raster',
      url: 'pmtiles:///basemap/shuyang.pmtiles',
    });
  });

  it('never hands MapLibre the attribution (it would render it as HTML)', () => {
    const source = basemapSource({ kind: 'xyz', url: '/t/{z}/{x}/{y}.png', crs: 'wgs84', attribution: '<img src=x onerror=alert(1)>' });
    expect(source).not.toHaveProperty('attribution');
  });
});

describe(basemapCrs.name, () => {
  it('shifts overlays only under a GCJ-02 basemap', () => {
    expect(basemapCrs(null)).toBe('wgs84');
    expect(basemapCrs({ kind: 'none' })).toBe('wgs84');
    expect(basemapCrs({ kind: 'xyz', url: '/t/{z}/{x}/{y}', crs: 'gcj02', attribution: '' })).toBe('gcj02');
  });
});
