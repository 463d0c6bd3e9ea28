/** How patrol teams look: dots by agency and status with heading arrows and call signs, their trails, a replayed track. */
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { FONT_BOLD } from '../fonts';
import { HEADING_IMAGE_PREFIX, LAYERS, SOURCES } from '../ids';
import {
  AGENCY_COLOURS,
  ALERT_COLOURS,
  OFFLINE_COLOUR,
  REPLAY_COLOURS,
  RESPONDING_COLOUR,
  THEME,
} from '../palette';
import { zoomRamp, labelPaint, matchProperty } from './expressions';

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

/** A team that raised an SOS nobody has acknowledged: a red halo under its dot and a ring around it. */
export function sosMarkLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.sosHalo,
      type: 'circle',
      source: SOURCES.sosMarks,
      paint: {
        'circle-color': ALERT_COLOURS.sos,
        'circle-radius': zoomRamp(8, 22, 14, 34),
        'circle-blur': 0.7,
        'circle-opacity': 0.6,
      },
    },
    {
      id: LAYERS.sosRing,
      type: 'circle',
      source: SOURCES.sosMarks,
      paint: {
        'circle-radius': zoomRamp(8, 12, 14, 18),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': ALERT_COLOURS.sos,
        'circle-stroke-width': 3,
      },
    },
  ];
}
