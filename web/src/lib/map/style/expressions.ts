/** Expression helpers the layer styles share: zoom ramps, the label halo, lookups by property. */
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import { THEME } from '../palette';

export const zoomRamp = (...stops: number[]): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], ...stops] as ExpressionSpecification;

export const labelPaint = {
  'text-color': THEME.labelText,
  'text-halo-color': THEME.labelHalo,
  'text-halo-width': 1.4,
  'text-halo-blur': 0.4,
} as const;

/** `['match', ['get', property], k1, v1, k2, v2, …, fallback]` from a lookup table. */
export function matchProperty(property: string, table: [string | number, string][], fallback: string): ExpressionSpecification {
  // The spec's tuple type can't describe a spread of pairs; the shape is checked by MapLibre at addLayer.
  return ['match', ['get', property], ...table.flat(), fallback] as unknown as ExpressionSpecification;
}
