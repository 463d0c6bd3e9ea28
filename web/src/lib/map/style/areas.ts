/**
 * How areas look: the basemap under the county, the county, its townships and grids with their
 * labels and uncovered badges, a search result's highlight and a team's assigned grids.
 */
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { FONT_BOLD, FONT_REGULAR } from '../fonts';
import { KEY_GRID_PATTERN, LAYERS, SOURCES, UNCOVERED_BADGE } from '../ids';
import { THEME, TOWNSHIP_TINTS } from '../palette';
import { zoomRamp, labelPaint, matchProperty } from './expressions';

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
