/** The add/remove half every layer component does, written once, and a once-a-frame scheduler for the setData half. */
import type { FeatureCollection } from 'geojson';
import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { addLayerInOrder } from './style/base';

export const EMPTY_COLLECTION: FeatureCollection = { type: 'FeatureCollection', features: [] };

export interface GeoJSONSourceOptions {
  /** Feature property used as the feature id, for feature-state (hover). */
  promoteId?: string;
  /** The zoom tiles are cut at (overzoomed above): fewer tiles, so fewer frames per update. */
  maxzoom?: number;
}

/** Adds a GeoJSON source (empty until `setSourceData`) and its layers; returns their removal. */
export function addGeoJSONSource(
  map: MapLibreMap,
  id: string,
  layers: LayerSpecification[],
  options: GeoJSONSourceOptions = {},
): () => void {
  map.addSource(id, {
    type: 'geojson',
    data: EMPTY_COLLECTION,
    ...(options.promoteId ? { promoteId: options.promoteId } : {}),
    ...(options.maxzoom === undefined ? {} : { maxzoom: options.maxzoom }),
  });
  for (const layer of layers) addLayerInOrder(map, layer);
  return () => {
    // The map may already be gone when a whole page unmounts.
    if (!map.style) return;
    try {
      for (const layer of layers) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      if (map.getSource(id)) map.removeSource(id);
    } catch {
      // Removed with the map.
    }
  };
}

// Data goes to a source through MapContext.setData, which shifts it to GCJ-02 under such a basemap.

/**
 * Coalesces updates to one call of `flush` in the next animation frame, however many arrive before
 * it: a source gets `setData` at most once a frame.
 */
export function frameScheduler(flush: () => void): { schedule(): void; cancel(): void } {
  let frame = 0;
  return {
    schedule() {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        flush();
      });
    },
    cancel() {
      cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

/**
 * What a source's next data changes from what it drew last: nothing, some keys' values (the same
 * inputs by identity, the same keys), or everything. Layers redraw only what a user could see,
 * because `setData` re-tiles the whole source, which a software-rendered command-centre screen
 * feels: a coverage batch that turns three of 5,000 locations red updates those three.
 *
 * @example
 * const drawn = new DrawnState<string>();
 * drawn.changes([data, crs], states); // 'all' the first time, then the keys whose value differs
 */
export class DrawnState<V> {
  #inputs: readonly unknown[] | null = null;
  #values = new Map<string, V>();

  /** 'all' when the inputs or the set of keys differ from the last call's, else the keys whose value changed (maybe none). Records the new state. */
  changes(inputs: readonly unknown[], values: ReadonlyMap<string, V>): 'all' | Map<string, V> {
    const sameInputs =
      this.#inputs !== null && this.#inputs.length === inputs.length && this.#inputs.every((x, i) => x === inputs[i]) && this.#values.size === values.size;
    let changed: Map<string, V> | null = sameInputs ? new Map() : null;
    if (changed) {
      for (const [k, v] of values) {
        if (!this.#values.has(k)) {
          changed = null;
          break;
        }
        if (this.#values.get(k) !== v) changed.set(k, v);
      }
    }
    this.#inputs = inputs;
    this.#values = new Map(values);
    return changed ?? 'all';
  }

  /** True when nothing differs from the last call (a small source that is simply redrawn otherwise). */
  unchanged(inputs: readonly unknown[], values: ReadonlyMap<string, V>): boolean {
    const changes = this.changes(inputs, values);
    return changes !== 'all' && changes.size === 0;
  }

  /** Forgets what was drawn: the next call answers 'all'. */
  reset(): void {
    this.#inputs = null;
  }
}
