/**
 * The one map context: the MapLibre map the layer components add themselves to, the click router
 * they register with (so a click on a team over a location over a grid opens one popup, the top
 * one's, rather than three), and the coordinates the map is drawn in: WGS-84, or GCJ-02 under a
 * Chinese basemap, in which case every overlay is shifted on its way to the map and every
 * position read off the map is shifted back.
 */
import { getContext, setContext } from 'svelte';
import type { GeoJSON } from 'geojson';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import { gcj02ToWgs84, shiftGeoJSON, wgs84ToGcj02, type LonLat } from './display-crs';
import type { Bbox } from './geometry';
import { RenderGate, type HoldOptions } from './render-gate';

/** What the map is drawn in: our data is WGS-84; a GCJ-02 basemap needs it shifted to match. */
export type DisplayCrs = 'wgs84' | 'gcj02';

const KEY = Symbol('lianfang.map');

export interface ClickTarget {
  /** Layers whose features this target handles. */
  layers: string[];
  /** Higher wins when features of several targets are under the pointer. */
  priority: number;
  /** `at` is where the click was, in WGS-84 (shifted back from what the map shows). */
  onClick(feature: MapGeoJSONFeature, event: MapMouseEvent, at: LonLat): void;
  /** Optional: the feature under the pointer (or null when it leaves), for hover styling. */
  onHover?(feature: MapGeoJSONFeature | null): void;
}

export class MapContext {
  /** Set once the style has loaded; children render only then. */
  map = $state.raw<MapLibreMap | null>(null);
  /** Set by the basemap. Reactive: an effect that calls `setData` runs again when it changes. */
  crs = $state<DisplayCrs>('wgs84');
  #targets = new Set<ClickTarget>();
  #hovered: ClickTarget | null = null;
  /** Set while attached: every source update goes through here, so the map draws it once (render-gate.ts). */
  #gate: RenderGate | null = null;

  /** The map, for components that render only once it exists. */
  get loadedMap(): MapLibreMap {
    if (!this.map) throw new Error('The map is not loaded yet');
    return this.map;
  }

  /** A WGS-84 position as the map shows it. */
  toScreen(point: readonly [number, number]): LonLat {
    return this.crs === 'gcj02' ? wgs84ToGcj02(point) : [point[0], point[1]];
  }

  /** A position read off the map (a click, a rendered feature), back in WGS-84. */
  fromScreen(point: { lng: number; lat: number } | readonly [number, number]): LonLat {
    const p: LonLat = 'lng' in point ? [point.lng, point.lat] : [point[0], point[1]];
    return this.crs === 'gcj02' ? gcj02ToWgs84(p) : p;
  }

  /** A WGS-84 [west, south, east, north] as the map shows it. */
  toScreenBbox(bbox: Bbox): LngLatBoundsLike {
    return [this.toScreen([bbox[0], bbox[1]]), this.toScreen([bbox[2], bbox[3]])];
  }

  /**
   * Sets a GeoJSON source's data (in WGS-84), shifted to what the map is drawn in. `withFeed`: the
   * change may be drawn with the feed's next frame (render-gate.ts).
   */
  setData(source: string, data: GeoJSON, options?: HoldOptions): void {
    const shown = this.crs === 'gcj02' ? shiftGeoJSON(data, wgs84ToGcj02) : data;
    const target = this.map?.getSource<GeoJSONSource>(source);
    if (!target) return;
    void target.setData(shown);
    this.#gate?.hold(source, options);
  }

  /**
   * Sets some properties of some features of a source added with `promoteId: 'id'`, re-tiling only
   * the tiles they lie in. Resolves false when the source could not take the update (then set the data).
   */
  updateProperties(source: string, properties: ReadonlyMap<string, Record<string, string | number | boolean>>, options?: HoldOptions): Promise<boolean> {
    const target = this.map?.getSource<GeoJSONSource>(source);
    if (!target) return Promise.resolve(false);
    const update = [...properties].map(([id, props]) => ({ id, addOrUpdateProperties: Object.entries(props).map(([key, value]) => ({ key, value })) }));
    const done = target.updateData({ update });
    this.#gate?.hold(source, options);
    return done.then(
      () => true,
      () => false,
    );
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
    const gate = (this.#gate = new RenderGate(map));
    const onClick = (event: MapMouseEvent) => {
      const hit = this.pick(event);
      hit?.target.onClick(hit.feature, event, this.fromScreen(event.lngLat));
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
      gate.detach();
      if (this.#gate === gate) this.#gate = null;
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
