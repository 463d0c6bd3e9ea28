/**
 * The basemap style and the order of every layer, built in code. No glyphs, no sprite: labels are
 * drawn locally (see fonts.ts), icons with `map.addImage`. Each layer's look is in the module of
 * its kind (areas.ts, locations.ts, teams.ts, incidents.ts); layer components add those specs
 * through `addLayerInOrder`, which keeps the stacking below whatever order the components happen
 * to mount in.
 */
import type { LayerSpecification, StyleSpecification, SourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { LAYERS, SOURCES } from '../ids';
import { THEME } from '../palette';

/** An XYZ raster basemap (e.g. an intranet tile server) to draw under the county. */
export interface RasterBasemap {
  tiles: string[];
  tileSize?: number;
  minzoom?: number;
  maxzoom?: number;
  attribution?: string;
  /** 0–1; the county overlay stays readable on top of a photo at about 0.6. */
  opacity?: number;
}

export interface BaseStyleOptions {
  raster?: RasterBasemap | null;
}

export function buildBaseStyle(options: BaseStyleOptions = {}): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': THEME.ground } },
  ];
  const raster = options.raster;
  if (raster) {
    sources[SOURCES.raster] = {
      type: 'raster',
      tiles: raster.tiles,
      tileSize: raster.tileSize ?? 256,
      minzoom: raster.minzoom ?? 0,
      maxzoom: raster.maxzoom ?? 18,
      ...(raster.attribution ? { attribution: raster.attribution } : {}),
    };
    layers.push({
      id: 'basemap-raster',
      type: 'raster',
      source: SOURCES.raster,
      paint: { 'raster-opacity': raster.opacity ?? 0.6 },
    });
  }
  // No `glyphs` and no `sprite`: see the module comment.
  // No paint transitions: MapLibre eases every paint change over 300 ms by default, drawing a frame
  // for each step of the ease. The map's changes are stepped on purpose (the incident pulse sets a
  // new ring five times a second), so each is one frame instead of eighteen.
  return { version: 8, name: 'lianfang-command', transition: { duration: 0, delay: 0 }, sources, layers };
}

/** Bottom to top. A layer is inserted below the first layer after it here that is on the map. */
const STACK: readonly string[] = [
  LAYERS.basemap,
  LAYERS.countyLand,
  LAYERS.townshipFill,
  LAYERS.gridFill,
  LAYERS.gridKeyHatch,
  LAYERS.highlightFill,
  LAYERS.assignedGridFill,
  LAYERS.eventAreaFill,
  LAYERS.gridLine,
  LAYERS.townshipLine,
  LAYERS.countyGlow,
  LAYERS.countyLine,
  LAYERS.highlightLine,
  LAYERS.assignedGridLine,
  LAYERS.eventAreaLine,
  LAYERS.alertFocusLink,
  LAYERS.locationHalo,
  LAYERS.locations,
  LAYERS.planPreview,
  LAYERS.eventPosts,
  LAYERS.highlightPoint,
  LAYERS.alertFocusRing,
  LAYERS.teamTrail,
  LAYERS.replayTrack,
  LAYERS.replayTravelled,
  LAYERS.sosHalo,
  LAYERS.teamResponding,
  LAYERS.teams,
  LAYERS.sosRing,
  LAYERS.teamHeading,
  LAYERS.replayPosition,
  LAYERS.eventReplay,
  LAYERS.gridLabel,
  LAYERS.townshipLabel,
  LAYERS.townshipUncovered,
  LAYERS.locationLabel,
  LAYERS.teamLabel,
  // Incidents over everything: they are what the command centre acts on, and their glyphs push
  // the labels below them aside rather than sit under a grid's name.
  LAYERS.incidentPulse,
  LAYERS.incidentSelected,
  LAYERS.incidents,
  LAYERS.incidentGlyph,
];

export function addLayerInOrder(map: MapLibreMap, layer: LayerSpecification): void {
  const rank = STACK.indexOf(layer.id);
  if (rank < 0) throw new Error(`Layer ${layer.id} has no place in the stack (style/base.ts STACK)`);
  const before = STACK.slice(rank + 1).find((id) => map.getLayer(id));
  map.addLayer(layer, before);
}
