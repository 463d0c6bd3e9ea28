/**
 * Whether moving things would look different on the map: positions compared in screen pixels at
 * the map's zoom (to the pixel), the rest of what is drawn (status, heading, label) exactly.
 *
 * `setData` re-tiles a whole source and each tile that comes back costs a frame. At county zoom on
 * a wall (zoom 9–10, a pixel is about 150 m) a walking patrol crosses a pixel every minute or two,
 * so redrawing 300 teams on every fix drew the same picture again several times a second. With
 * the gate a layer redraws when something changed that a user could see, and at once when the
 * user zooms in (where the same moves become visible).
 */

/** MapLibre's world is 512 px wide at zoom 0. */
const WORLD_PX = 512;

/** Something drawn at a place: its id, where, and what else its drawing depends on. */
export interface Drawn {
  id: string;
  lon: number;
  lat: number;
  /** Everything besides the position that changes how it is drawn (status, heading, label…). */
  look: string;
}

/** The Web Mercator pixel a point is drawn on at a zoom, as a key: equal keys look the same. */
export function pixelKey(lon: number, lat: number, zoom: number): string {
  const size = WORLD_PX * 2 ** zoom;
  const x = ((lon + 180) / 360) * size;
  const sin = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  const y = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size;
  return `${Math.round(x)},${Math.round(y)}`;
}

export class PixelGate {
  #drawn = new Map<string, string>();
  #basis: string | undefined;

  /**
   * True when `items` at `zoom` would be drawn differently from the items last let through (an
   * item added, gone, moved to another pixel, or of another look); then remembers them. A new
   * `basis` (the coordinates the map is drawn in: a GCJ-02 basemap shifts every point) lets
   * everything through.
   */
  changed(items: Iterable<Drawn>, zoom: number, basis = ''): boolean {
    if (basis !== this.#basis) {
      this.#basis = basis;
      this.#drawn.clear();
    }
    const next = new Map<string, string>();
    let differs = false;
    for (const item of items) {
      const key = `${pixelKey(item.lon, item.lat, zoom)}|${item.look}`;
      next.set(item.id, key);
      if (!differs && this.#drawn.get(item.id) !== key) differs = true;
    }
    if (!differs && next.size === this.#drawn.size) return false;
    this.#drawn = next;
    return true;
  }
}
