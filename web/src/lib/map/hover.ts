/** Feature-state `hover` on one feature of a source at a time (the source must promote `id`). */
import type { Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';

export function useHoverState(map: MapLibreMap, source: string): (feature: MapGeoJSONFeature | null) => void {
  let hovered: string | number | undefined;
  return (feature) => {
    const id = feature?.id;
    if (id === hovered) return;
    if (hovered !== undefined && map.getSource(source)) map.setFeatureState({ source, id: hovered }, { hover: false });
    hovered = id;
    if (hovered !== undefined) map.setFeatureState({ source, id: hovered }, { hover: true });
  };
}
