/** How key locations (重点部位) look, coloured by coverage, and the ring around the alert being looked at. */
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { FONT_REGULAR } from '../fonts';
import { LAYERS, SOURCES } from '../ids';
import { CATEGORY_COLOURS, COVERAGE_COLOURS, THEME } from '../palette';
import { zoomRamp, labelPaint, matchProperty } from './expressions';

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
