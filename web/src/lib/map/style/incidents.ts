/** How incidents (事件/警情) look: a marker by state with its category's glyph, the pulse of a new one, the selected ring. */
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { FONT_BOLD } from '../fonts';
import { LAYERS, SOURCES } from '../ids';
import { INCIDENT_GLYPHS, INCIDENT_STATE_COLOURS } from '../palette';
import { matchProperty } from './expressions';

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
