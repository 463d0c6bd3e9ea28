/**
 * The one map context: the MapLibre map the layer components add themselves to, and the click
 * router they register with, so a click on a team over a location over a grid opens one popup,
 * the top one's, rather than three.
 */
import { getContext, setContext } from 'svelte';
import type { Map as MapLibreMap, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';

const KEY = Symbol('lianfang.map');

export interface ClickTarget {
  /** Layers whose features this target handles. */
  layers: string[];
  /** Higher wins when features of several targets are under the pointer. */
  priority: number;
  onClick(feature: MapGeoJSONFeature, event: MapMouseEvent): void;
  /** Optional: the feature under the pointer (or null when it leaves), for hover styling. */
  onHover?(feature: MapGeoJSONFeature | null): void;
}

export class MapContext {
  /** Set once the style has loaded; children render only then. */
  map = $state.raw<MapLibreMap | null>(null);
  #targets = new Set<ClickTarget>();
  #hovered: ClickTarget | null = null;

  /** The map, for components that render only once it exists. */
  get loadedMap(): MapLibreMap {
    if (!this.map) throw new Error('The map is not loaded yet');
    return this.map;
  }

  addClickTarget(target: ClickTarget): () => void {
    this.#targets.add(target);
    return () => {
      this.#targets.delete(target);
      if (this.#hovered === target) this.#hovered = null;
    };
  }

  /** The top feature under a point and the target that handles it. */
  pick(event: MapMouseEvent): { target: ClickTarget; feature: MapGeoJSONFeature } | null {
    const map = this.map;
    if (!map) return null;
    const layerOwner = new Map<string, ClickTarget>();
    for (const target of this.#targets) {
      for (const layer of target.layers) if (map.getLayer(layer)) layerOwner.set(layer, target);
    }
    if (layerOwner.size === 0) return null;
    // A few pixels of slack: team and location dots are small targets on a big screen.
    const { x, y } = event.point;
    const features = map.queryRenderedFeatures(
      [
        [x - 4, y - 4],
        [x + 4, y + 4],
      ],
      { layers: [...layerOwner.keys()] },
    );
    let best: { target: ClickTarget; feature: MapGeoJSONFeature } | null = null;
    for (const feature of features) {
      const target = layerOwner.get(feature.layer.id);
      if (target && (!best || target.priority > best.target.priority)) best = { target, feature };
    }
    return best;
  }

  /** Installs the router's map handlers; returns their removal. */
  attach(map: MapLibreMap): () => void {
    const onClick = (event: MapMouseEvent) => {
      const hit = this.pick(event);
      hit?.target.onClick(hit.feature, event);
    };
    let frame = 0;
    let last: MapMouseEvent | null = null;
    const onMove = (event: MapMouseEvent) => {
      last = event;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (!last) return;
        const hit = this.pick(last);
        map.getCanvas().style.cursor = hit ? 'pointer' : '';
        if (this.#hovered && this.#hovered !== hit?.target) this.#hovered.onHover?.(null);
        this.#hovered = hit?.target ?? null;
        hit?.target.onHover?.(hit.feature);
      });
    };
    const onLeave = () => {
      map.getCanvas().style.cursor = '';
      this.#hovered?.onHover?.(null);
      this.#hovered = null;
    };
    map.on('click', onClick);
    map.on('mousemove', onMove);
    map.on('mouseout', onLeave);
    return () => {
      cancelAnimationFrame(frame);
      map.off('click', onClick);
      map.off('mousemove', onMove);
      map.off('mouseout', onLeave);
    };
  }
}

export function setMapContext(context: MapContext): MapContext {
  return setContext(KEY, context);
}

export function getMapContext(): MapContext {
  const context = getContext<MapContext | undefined>(KEY);
  if (!context) throw new Error('getMapContext() outside a <MapView>');
  return context;
}
