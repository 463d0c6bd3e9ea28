/**
 * The basemap style and every layer's look, built in code so the whole map reads in one file.
 * No glyphs, no sprite: labels are drawn locally (see fonts.ts), icons with `map.addImage`.
 * Layer components add these specs through `addLayerInOrder`, which keeps the stacking below
 * whatever order the components happen to mount in.
 */
import type {
  ExpressionSpecification,
  LayerSpecification,
  StyleSpecification,
  SourceSpecification,
} from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { FONT_BOLD, FONT_REGULAR } from './fonts';
import { HEADING_IMAGE_PREFIX, KEY_GRID_PATTERN, LAYERS, SOURCES, UNCOVERED_BADGE } from './ids';
import {
  AGENCY_COLOURS,
  CATEGORY_COLOURS,
  COVERAGE_COLOURS,
  INCIDENT_GLYPHS,
  INCIDENT_STATE_COLOURS,
  OFFLINE_COLOUR,
  REPLAY_COLOURS,
  RESPONDING_COLOUR,
  THEME,
  TOWNSHIP_TINTS,
} from './palette';

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
  return { version: 8, name: 'lianfang-command', sources, layers };
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
  LAYERS.gridLine,
  LAYERS.townshipLine,
  LAYERS.countyGlow,
  LAYERS.countyLine,
  LAYERS.highlightLine,
  LAYERS.assignedGridLine,
  LAYERS.alertFocusLink,
  LAYERS.locationHalo,
  LAYERS.locations,
  LAYERS.highlightPoint,
  LAYERS.alertFocusRing,
  LAYERS.teamTrail,
  LAYERS.replayTrack,
  LAYERS.replayTravelled,
  LAYERS.teamResponding,
  LAYERS.teams,
  LAYERS.teamHeading,
  LAYERS.replayPosition,
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
  if (rank < 0) throw new Error(`Layer ${layer.id} has no place in the stack (style.ts STACK)`);
  const before = STACK.slice(rank + 1).find((id) => map.getLayer(id));
  map.addLayer(layer, before);
}

const zoomRamp = (...stops: number[]): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], ...stops] as ExpressionSpecification;

const labelPaint = {
  'text-color': THEME.labelText,
  'text-halo-color': THEME.labelHalo,
  'text-halo-width': 1.4,
  'text-halo-blur': 0.4,
} as const;

/**
 * A configured raster basemap, under the county: darkened and desaturated so the dark theme and
 * the overlays on top stay readable.
 */
export function basemapLayer(): LayerSpecification {
  return {
    id: LAYERS.basemap,
    type: 'raster',
    source: SOURCES.raster,
    paint: {
      'raster-opacity': 0.9,
      'raster-saturation': -0.45,
      'raster-brightness-max': 0.62,
      'raster-contrast': 0.05,
    },
  };
}

/** Over a basemap the county's land lets it show through instead of hiding it. */
export const COUNTY_LAND_OVER_BASEMAP = 0.35;

export function countyLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.countyLand,
      type: 'fill',
      source: SOURCES.county,
      paint: { 'fill-color': THEME.countyLand },
    },
    {
      id: LAYERS.countyGlow,
      type: 'line',
      source: SOURCES.county,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': THEME.countyGlow,
        'line-width': zoomRamp(8, 6, 12, 12),
        'line-blur': zoomRamp(8, 5, 12, 9),
        'line-opacity': 0.55,
      },
    },
    {
      id: LAYERS.countyLine,
      type: 'line',
      source: SOURCES.county,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': THEME.countyLine, 'line-width': zoomRamp(8, 1.6, 12, 2.6) },
    },
  ];
}

/** `['match', ['get', property], k1, v1, k2, v2, …, fallback]` from a lookup table. */
function matchProperty(property: string, table: [string | number, string][], fallback: string): ExpressionSpecification {
  // The spec's tuple type can't describe a spread of pairs; the shape is checked by MapLibre at addLayer.
  return ['match', ['get', property], ...table.flat(), fallback] as unknown as ExpressionSpecification;
}

const townshipTint = matchProperty(
  'colour',
  TOWNSHIP_TINTS.map((colour, i) => [i, colour]),
  TOWNSHIP_TINTS[0],
);

export function townshipLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.townshipFill,
      type: 'fill',
      source: SOURCES.townships,
      paint: {
        'fill-color': townshipTint,
        'fill-opacity': [
          'interpolate',
          ['linear'],
          ['zoom'],
          8,
          ['case', ['boolean', ['feature-state', 'hover'], false], 0.5, 0.34],
          12,
          ['case', ['boolean', ['feature-state', 'hover'], false], 0.22, 0.16],
          15,
          0.06,
        ],
      },
    },
    {
      id: LAYERS.townshipLine,
      type: 'line',
      source: SOURCES.townships,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': THEME.townshipLine,
        'line-width': zoomRamp(8, 0.8, 12, 1.6, 15, 2.4),
        'line-opacity': 0.8,
      },
    },
  ];
}

export function townshipLabelLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.townshipLabel,
      type: 'symbol',
      source: SOURCES.townshipLabels,
      maxzoom: 13,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_BOLD,
        'text-size': zoomRamp(8, 11, 10, 14, 12, 17),
        'text-letter-spacing': 0.08,
        'text-max-width': 8,
        'text-padding': 4,
      },
      paint: {
        ...labelPaint,
        'text-halo-width': 1.8,
        'text-opacity': zoomRamp(11.5, 1, 13, 0),
      },
    },
  ];
}

/**
 * Per township, how many key locations are uncovered (未覆盖): a red pill beside the name at
 * county zoom, where the individual locations are too small to count.
 */
export function townshipUncoveredLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.townshipUncovered,
      type: 'symbol',
      source: SOURCES.townshipLabels,
      maxzoom: 13,
      filter: ['>', ['get', 'uncovered'], 0],
      layout: {
        'text-field': ['to-string', ['get', 'uncovered']],
        'text-font': FONT_BOLD,
        'text-size': zoomRamp(8, 10, 10, 11.5, 12, 13),
        'text-anchor': 'top',
        'text-offset': [0, 1.05],
        // Drawn over whatever is there, without pushing the township's own name off the map.
        'text-allow-overlap': true,
        'text-ignore-placement': true,
        'icon-ignore-placement': true,
        'icon-image': UNCOVERED_BADGE,
        'icon-text-fit': 'both',
        'icon-text-fit-padding': [1, 5, 1, 5],
        'icon-allow-overlap': true,
        'icon-anchor': 'top',
        'icon-offset': [0, 0],
      },
      paint: {
        'text-color': '#ffffff',
        'text-opacity': zoomRamp(11.5, 1, 13, 0),
        'icon-opacity': zoomRamp(11.5, 1, 13, 0),
      },
    },
  ];
}

export function gridLayers(): LayerSpecification[] {
  const hover: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
  return [
    {
      id: LAYERS.gridFill,
      type: 'fill',
      source: SOURCES.grids,
      minzoom: 10.5,
      paint: {
        'fill-color': ['case', hover, THEME.gridLineHover, '#000000'],
        'fill-opacity': ['case', hover, 0.1, 0],
      },
    },
    {
      id: LAYERS.gridKeyHatch,
      type: 'fill',
      source: SOURCES.grids,
      minzoom: 10.5,
      filter: ['==', ['get', 'key'], true],
      paint: { 'fill-pattern': KEY_GRID_PATTERN, 'fill-opacity': zoomRamp(10.5, 0, 11.5, 1) },
    },
    {
      id: LAYERS.gridLine,
      type: 'line',
      source: SOURCES.grids,
      minzoom: 10.5,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', hover, THEME.gridLineHover, ['get', 'key'], THEME.keyGrid, THEME.gridLine],
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, ['case', hover, 2, 0.6], 15, ['case', hover, 3, 1.3]],
        'line-opacity': zoomRamp(10.5, 0, 11.5, 0.85),
      },
    },
  ];
}

/** Grid names, on points computed in the browser: polygon labels would repeat at tile seams. */
export function gridLabelLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.gridLabel,
      type: 'symbol',
      source: SOURCES.gridLabels,
      minzoom: 13,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': zoomRamp(13, 11, 16, 13),
        'text-max-width': 10,
        'text-padding': 6,
      },
      paint: {
        ...labelPaint,
        'text-color': ['case', ['get', 'key'], '#ffd699', '#b8c8dc'],
        'text-opacity': zoomRamp(13, 0, 13.5, 1),
      },
    },
  ];
}

const categoryColour = matchProperty('category', Object.entries(CATEGORY_COLOURS), CATEGORY_COLOURS.other);
/** `cov` on a location feature: its coverage state ('inactive' outside key periods or before the snapshot). */
const coverageColour: ExpressionSpecification = [
  'match',
  ['get', 'cov'],
  'covered',
  COVERAGE_COLOURS.covered,
  'due_soon',
  COVERAGE_COLOURS.due_soon,
  'uncovered',
  COVERAGE_COLOURS.uncovered,
  categoryColour,
];
const inKeyPeriod: ExpressionSpecification = ['!=', ['get', 'cov'], 'inactive'];
/** Draw order among locations: uncovered on top, then due soon, covered, outside key periods; then priority. */
const coverageRank: ExpressionSpecification = ['match', ['get', 'cov'], 'uncovered', 30, 'due_soon', 20, 'covered', 10, 0];

export function locationLayers(): LayerSpecification[] {
  const byPriority = (p1: number, p2: number, p3: number): ExpressionSpecification => [
    'match',
    ['get', 'priority'],
    1,
    p1,
    2,
    p2,
    p3,
  ];
  return [
    {
      // Uncovered and due-soon locations glow from county zoom on, where the dots themselves are hidden.
      id: LAYERS.locationHalo,
      type: 'circle',
      source: SOURCES.locations,
      filter: ['match', ['get', 'cov'], ['uncovered', 'due_soon'], true, false],
      layout: { 'circle-sort-key': coverageRank },
      paint: {
        'circle-color': coverageColour,
        'circle-radius': zoomRamp(8, 2.2, 10.5, 4, 11, 8, 14, 12, 17, 16),
        'circle-blur': zoomRamp(8, 0.2, 10.5, 0.3, 11, 0.9),
        'circle-opacity': zoomRamp(8, 0.9, 10.5, 0.85, 11.5, 0.45),
      },
    },
    {
      id: LAYERS.locations,
      type: 'circle',
      source: SOURCES.locations,
      minzoom: 10.5,
      layout: { 'circle-sort-key': ['+', coverageRank, ['-', 4, ['get', 'priority']]] },
      paint: {
        'circle-color': coverageColour,
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          11,
          byPriority(3.6, 2.8, 2.2),
          14,
          byPriority(6, 4.8, 3.8),
          17,
          byPriority(9, 7, 5.5),
        ],
        // Outside a key period a location keeps its category colour, dimmer: nothing is asked of it now.
        'circle-opacity': ['interpolate', ['linear'], ['zoom'], 10.5, 0, 11.5, ['case', inKeyPeriod, 1, 0.5]],
        'circle-stroke-color': THEME.ground,
        'circle-stroke-width': zoomRamp(11, 0.5, 15, 1.2),
        'circle-stroke-opacity': ['interpolate', ['linear'], ['zoom'], 10.5, 0, 11.5, ['case', inKeyPeriod, 0.9, 0.5]],
      },
    },
    {
      id: LAYERS.locationLabel,
      type: 'symbol',
      source: SOURCES.locations,
      minzoom: 15,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': 11.5,
        'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
        'text-radial-offset': 0.9,
        'text-max-width': 14,
        'symbol-sort-key': ['-', ['get', 'priority'], coverageRank],
      },
      paint: {
        ...labelPaint,
        'text-color': ['match', ['get', 'cov'], 'uncovered', '#ffb3ba', 'due_soon', '#ffe1a3', '#d4deec'],
      },
    },
  ];
}

/**
 * The alert being looked at: a ring around its place and thin lines to the teams that could go
 * there (their distances are in the panel).
 */
export function alertFocusLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.alertFocusLink,
      type: 'line',
      source: SOURCES.alertFocus,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { 'line-cap': 'round' },
      paint: {
        'line-color': '#9fdcff',
        'line-width': 1.6,
        'line-dasharray': [2, 2],
        'line-opacity': 0.85,
      },
    },
    {
      id: LAYERS.alertFocusRing,
      type: 'circle',
      source: SOURCES.alertFocus,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': zoomRamp(8, 12, 14, 20),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': ['coalesce', ['get', 'colour'], '#ffffff'],
        'circle-stroke-width': 2.5,
        'circle-stroke-opacity': 0.95,
      },
    },
  ];
}

const agencyColour = matchProperty('agency', Object.entries(AGENCY_COLOURS), OFFLINE_COLOUR);
const status = (value: string): ExpressionSpecification => ['==', ['get', 'status'], value];
const offline = status('offline');
const offDuty = status('off_duty');
const responding = status('responding');

/** Team dot radius by zoom; the heading arrow is scaled to sit just outside it. */
const TEAM_RADIUS = [8, 4.5, 12, 6.5, 16, 9] as const;

/**
 * Teams by status: on patrol in their agency colour with a white ring; responding (处警中) larger
 * with a yellow ring and glow, labelled from further out; offline grey; off duty dim, no arrow.
 */
export function teamLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.teamResponding,
      type: 'circle',
      source: SOURCES.teams,
      filter: responding,
      paint: {
        'circle-color': RESPONDING_COLOUR,
        'circle-radius': zoomRamp(8, 11, 12, 15, 16, 20),
        'circle-blur': 0.6,
        'circle-opacity': 0.55,
      },
    },
    {
      id: LAYERS.teams,
      type: 'circle',
      source: SOURCES.teams,
      layout: { 'circle-sort-key': ['match', ['get', 'status'], 'responding', 3, 'on_patrol', 2, 'offline', 1, 0] },
      paint: {
        'circle-color': ['case', offline, OFFLINE_COLOUR, agencyColour],
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          8,
          ['case', responding, 6, offDuty, 3.5, TEAM_RADIUS[1]],
          12,
          ['case', responding, 8.5, offDuty, 5, TEAM_RADIUS[3]],
          16,
          ['case', responding, 11, offDuty, 7, TEAM_RADIUS[5]],
        ],
        'circle-opacity': ['case', offline, 0.75, offDuty, 0.35, 1],
        'circle-stroke-color': ['case', responding, RESPONDING_COLOUR, offline, '#aab3c0', THEME.teamStroke],
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 8, ['case', responding, 2, 1.2], 14, ['case', responding, 3, 2]],
        'circle-stroke-opacity': ['case', offDuty, 0.35, 1],
      },
    },
    {
      id: LAYERS.teamHeading,
      type: 'symbol',
      source: SOURCES.teams,
      filter: ['all', ['has', 'heading'], ['match', ['get', 'status'], ['on_patrol', 'responding'], true, false]],
      layout: {
        'icon-image': ['concat', HEADING_IMAGE_PREFIX, ['get', 'agency']],
        'icon-rotate': ['get', 'heading'],
        'icon-rotation-alignment': 'map',
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        // The arrow image is drawn for a 6.5 px dot; keep it just outside the dot at every zoom.
        'icon-size': zoomRamp(8, 4.5 / 6.5, 12, 1, 16, 9 / 6.5),
      },
    },
    {
      id: LAYERS.teamLabel,
      type: 'symbol',
      source: SOURCES.teams,
      minzoom: 10,
      // Below street zoom only responding teams are named.
      filter: ['any', responding, ['>=', ['zoom'], 12]],
      layout: {
        'text-field': ['get', 'callSign'],
        'text-font': FONT_BOLD,
        'text-size': zoomRamp(10, 11, 12, 11, 16, 13),
        'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
        'text-radial-offset': 1.1,
        'symbol-sort-key': ['match', ['get', 'status'], 'responding', 0, 'on_patrol', 1, 2],
      },
      paint: {
        ...labelPaint,
        'text-color': ['case', responding, '#ffe58a', offline, '#9aa4b2', offDuty, '#7f8a99', '#ffffff'],
      },
    },
  ];
}

/** The last few positions behind each moving team: one line layer, fading out behind it. */
export function teamTrailLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.teamTrail,
      type: 'line',
      source: SOURCES.teamTrails,
      minzoom: 10,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': agencyColour,
        'line-width': zoomRamp(10, 1.5, 14, 2.8, 17, 4),
        'line-opacity': ['interpolate', ['linear'], ['get', 'fade'], 0, 0.12, 1, 0.85],
      },
    },
  ];
}

/** A replayed track on its own source: the whole route dim, the part played bright, the team as a ringed dot. */
export function replayLayers(): LayerSpecification[] {
  const kind = (value: string): ExpressionSpecification => ['==', ['get', 'kind'], value];
  return [
    {
      id: LAYERS.replayTrack,
      type: 'line',
      source: SOURCES.replay,
      filter: kind('track'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': REPLAY_COLOURS.track, 'line-width': zoomRamp(10, 1.5, 16, 3), 'line-opacity': 0.55, 'line-dasharray': [2, 1.5] },
    },
    {
      id: LAYERS.replayTravelled,
      type: 'line',
      source: SOURCES.replay,
      filter: kind('travelled'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': REPLAY_COLOURS.travelled, 'line-width': zoomRamp(10, 2.5, 16, 5), 'line-opacity': 0.95 },
    },
    {
      id: LAYERS.replayPosition,
      type: 'circle',
      source: SOURCES.replay,
      filter: kind('position'),
      paint: {
        'circle-color': REPLAY_COLOURS.position,
        'circle-radius': zoomRamp(8, 6, 16, 10),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 3,
      },
    },
  ];
}

export function highlightLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.highlightFill,
      type: 'fill',
      source: SOURCES.highlight,
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'fill-color': THEME.countyLine, 'fill-opacity': 0.12 },
    },
    {
      id: LAYERS.highlightLine,
      type: 'line',
      source: SOURCES.highlight,
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': THEME.countyLine, 'line-width': 2.5 },
    },
    {
      id: LAYERS.highlightPoint,
      type: 'circle',
      source: SOURCES.highlight,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 16,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': THEME.countyLine,
        'circle-stroke-width': 2.5,
      },
    },
  ];
}

/* ---------- Incidents (事件/警情) ---------- */

/** Incident marker radius by zoom (severity 1 larger); the pulse ring starts just outside it. */
const INCIDENT_RADIUS = (zoomOut: number, zoomIn: number): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], 8, ['match', ['get', 'severity'], 1, zoomOut + 1.5, zoomOut], 15, ['match', ['get', 'severity'], 1, zoomIn + 2, zoomIn]];

/** The pulse's steps: radius added to the marker's and opacity, stepped by IncidentsLayer's timer. */
export const INCIDENT_PULSE_STEPS: readonly { grow: number; opacity: number }[] = [
  { grow: 2, opacity: 0.8 },
  { grow: 6, opacity: 0.6 },
  { grow: 10, opacity: 0.4 },
  { grow: 14, opacity: 0.22 },
  { grow: 18, opacity: 0.08 },
];

/** The pulse ring's radius for one step (the marker's radius plus `grow`). */
export function incidentPulseRadius(grow: number): ExpressionSpecification {
  return INCIDENT_RADIUS(7 + grow, 10 + grow);
}

/**
 * Incidents: a dot in the state's colour with the category's glyph on it, larger for the most
 * urgent; a red ring when the next step is late; new, unacknowledged ones with a pulsing ring
 * (its radius and opacity stepped on a timer, see IncidentsLayer); the one being looked at ringed
 * white (its filter set by IncidentsLayer).
 */
export function incidentLayers(): LayerSpecification[] {
  const stateColour = matchProperty('state', Object.entries(INCIDENT_STATE_COLOURS), INCIDENT_STATE_COLOURS.new);
  const glyph = matchProperty('category', Object.entries(INCIDENT_GLYPHS), INCIDENT_GLYPHS.other);
  const order: ExpressionSpecification = ['match', ['get', 'state'], 'new', 5, 'escalated', 4, 'dispatched', 3, 'accepted', 3, 'on_scene', 2, 0];
  return [
    {
      id: LAYERS.incidentPulse,
      type: 'circle',
      source: SOURCES.incidents,
      filter: ['==', ['get', 'pulse'], true],
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-radius': incidentPulseRadius(INCIDENT_PULSE_STEPS[0]!.grow),
        'circle-stroke-color': INCIDENT_STATE_COLOURS.new,
        'circle-stroke-width': 2.5,
        'circle-stroke-opacity': INCIDENT_PULSE_STEPS[0]!.opacity,
      },
    },
    {
      id: LAYERS.incidentSelected,
      type: 'circle',
      source: SOURCES.incidents,
      filter: ['==', ['get', 'id'], ''],
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-radius': INCIDENT_RADIUS(12, 16),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2.5,
      },
    },
    {
      id: LAYERS.incidents,
      type: 'circle',
      source: SOURCES.incidents,
      layout: { 'circle-sort-key': order },
      paint: {
        'circle-color': stateColour,
        'circle-radius': INCIDENT_RADIUS(7, 10),
        'circle-opacity': ['case', ['==', ['get', 'state'], 'resolved'], 0.7, 1],
        'circle-stroke-color': ['case', ['get', 'late'], '#ff3b4e', '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'late'], 3, 1.5],
      },
    },
    {
      id: LAYERS.incidentGlyph,
      type: 'symbol',
      source: SOURCES.incidents,
      layout: {
        'text-field': glyph,
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, ['match', ['get', 'severity'], 1, 11, 9.5], 15, ['match', ['get', 'severity'], 1, 15, 13]],
        'text-allow-overlap': true,
        'symbol-sort-key': ['-', 10, order],
      },
      paint: { 'text-color': '#ffffff', 'text-halo-color': 'rgba(0,0,0,0.35)', 'text-halo-width': 0.6 },
    },
  ];
}

/** The grids a selected team is assigned to for its shift (排班): an outline in the team's colour. */
export function assignedGridLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.assignedGridFill,
      type: 'fill',
      source: SOURCES.assignedGrids,
      paint: { 'fill-color': ['coalesce', ['get', 'colour'], '#5cc8ff'], 'fill-opacity': 0.14 },
    },
    {
      id: LAYERS.assignedGridLine,
      type: 'line',
      source: SOURCES.assignedGrids,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': ['coalesce', ['get', 'colour'], '#5cc8ff'], 'line-width': 2.5, 'line-dasharray': [3, 1.5] },
    },
  ];
}
