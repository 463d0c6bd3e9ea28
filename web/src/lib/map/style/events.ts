/** How a major event looks on the map: its perimeter, its posts (green staffed, red short), and the replay's teams and incidents. */
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { LAYERS, SOURCES } from '../ids';
import { zoomRamp } from './expressions';

export const EVENT_COLOURS = { area: '#ffb547', staffed: '#3ddc97', short: '#ff5c5c', draft: '#5cc8ff', team: '#ffffff', incident: '#ff7a45' } as const;
const kind = (...values: string[]): ExpressionSpecification => ['match', ['get', 'kind'], values, true, false];

export function eventLayers(): LayerSpecification[] {
  return [
    { id: LAYERS.eventAreaFill, type: 'fill', source: SOURCES.majorEvent, filter: kind('area', 'draftArea'), paint: { 'fill-color': EVENT_COLOURS.area, 'fill-opacity': 0.08 } },
    {
      id: LAYERS.eventAreaLine,
      type: 'line',
      source: SOURCES.majorEvent,
      filter: kind('area', 'draftArea', 'draftLine'),
      paint: { 'line-color': ['case', ['==', ['get', 'kind'], 'area'], EVENT_COLOURS.area, EVENT_COLOURS.draft], 'line-width': 2.5, 'line-dasharray': [3, 2] },
    },
    {
      id: LAYERS.eventPosts,
      type: 'circle',
      source: SOURCES.majorEvent,
      filter: kind('post', 'draftPost', 'corner'),
      paint: {
        'circle-color': ['match', ['get', 'state'], 'staffed', EVENT_COLOURS.staffed, 'short', EVENT_COLOURS.short, 'replay', EVENT_COLOURS.area, EVENT_COLOURS.draft],
        // A zoom ramp must be the whole expression (MapLibre refuses one inside a `case`): corners are drawn as big as posts.
        'circle-radius': zoomRamp(10, 6, 16, 11),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: LAYERS.eventReplay,
      type: 'circle',
      source: SOURCES.majorEvent,
      filter: kind('replayTeam', 'replayIncident'),
      paint: {
        'circle-color': ['case', ['==', ['get', 'kind'], 'replayTeam'], '#5cc8ff', EVENT_COLOURS.incident],
        'circle-radius': zoomRamp(10, 5, 16, 9),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
  ];
}
