/**
 * The basemap the server configures (GET /api/config): none, an XYZ raster URL, or a raster
 * PMTiles archive on our own server, and the coordinates it is drawn in. A GCJ-02 basemap (most
 * Chinese tile sets) needs every overlay shifted to match (see display-crs.ts and MapContext).
 */
import type { RasterSourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { MapConfigResponse } from '@lianfang/server/api';
import type { DisplayCrs } from './map-context.svelte';
import { PMTILES_PROTOCOL } from './pmtiles';

export type BasemapConfig = MapConfigResponse['basemap'];

/** The raster source for a configured basemap; null for none. Attribution is shown by us, as text. */
export function basemapSource(basemap: BasemapConfig): RasterSourceSpecification | null {
  switch (basemap.kind) {
    case 'none':
      return null;
    case 'xyz':
      return { type: 'raster', tiles: [basemap.url], tileSize: 256, minzoom: 0, maxzoom: 19 };
    case 'pmtiles':
      // The protocol answers this URL with a TileJSON built from the archive's header.
      return { type: 'raster', url: `${PMTILES_PROTOCOL}://${basemap.url}`, tileSize: 256 };
  }
}

export function basemapCrs(basemap: BasemapConfig | null): DisplayCrs {
  return basemap && basemap.kind !== 'none' ? basemap.crs : 'wgs84';
}
