/**
 * One frame per update of the map's data, however many sources it touches and however its tiles
 * come back.
 *
 * MapLibre draws a frame for every 'data' event of a source: once when a GeoJSON source's worker
 * has taken new data (that frame draws the old tiles again: the new ones are still being cut), then
 * once for each tile as it comes back. A feed tick that set the teams and their trails drew the
 * command map seven times over, most of them the same picture, which a software-rendered command
 * centre screen feels. The gate holds MapLibre's repaints while an update it was told of is on its
 * way (through the worker, then its tiles) and lets one frame through once every such source has
 * loaded, so the frame draws all of the tick's changes at once.
 *
 * Never held: the camera (while the map moves, every frame is drawn as it comes), and nothing for
 * longer than {@link HOLD_MAX_MS}, so a tile lost on the way cannot freeze the map.
 */
import type { Map as MapLibreMap, MapSourceDataEvent } from 'maplibre-gl';

/** The longest a repaint waits for updates in flight (a slow worker on a busy screen takes a few hundred ms). */
export const HOLD_MAX_MS = 1000;

export class RenderGate {
  readonly #map: MapLibreMap;
  readonly #repaint: () => void;
  /** Sources with an update on its way: sent to the worker, or tiles not back yet. */
  readonly #pending = new Set<string>();
  /** A repaint was asked for while held. */
  #deferred = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(map: MapLibreMap) {
    this.#map = map;
    // Every frame MapLibre schedules goes through triggerRepaint (its own `_update` and render
    // loop call it on the instance), so this one place decides whether it is drawn now.
    this.#repaint = map.triggerRepaint.bind(map);
    map.triggerRepaint = () => {
      if (this.#pending.size > 0 && !map.isMoving()) this.#deferred = true;
      else this.#repaint();
    };
    map.on('sourcedata', this.#onSourceData);
    map.on('sourcedataabort', this.#settle);
  }

  /** Holds repaints until `source`, just given new data (setData / updateData), has loaded. */
  hold(source: string): void {
    if (!this.#map.getSource(source)) return;
    this.#pending.add(source);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#pending.clear();
      this.#release();
    }, HOLD_MAX_MS);
  }

  /** Gives the map its own triggerRepaint back and lets a held frame through. */
  detach(): void {
    this.#map.off('sourcedata', this.#onSourceData);
    this.#map.off('sourcedataabort', this.#settle);
    this.#pending.clear();
    this.#release();
    delete (this.#map as { triggerRepaint?: unknown }).triggerRepaint;
  }

  #onSourceData = (event: MapSourceDataEvent): void => {
    // A source's 'metadata' event comes before its tiles are sent for again: it would read as loaded.
    if (event.sourceDataType === 'metadata') return;
    this.#settle();
  };

  #settle = (): void => {
    if (this.#pending.size === 0) return;
    for (const id of this.#pending) {
      if (!this.#map.getSource(id) || this.#map.isSourceLoaded(id)) this.#pending.delete(id);
    }
    if (this.#pending.size === 0) this.#release();
  };

  #release(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#deferred) return;
    this.#deferred = false;
    this.#repaint();
  }
}
