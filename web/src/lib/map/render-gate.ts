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
 * An update that can wait for the feed (a location's colour, a township's uncovered count: figures
 * polled on their own clock) is held until the next update that cannot (the teams, every feed
 * tick) has loaded, and drawn in that frame, or in any other frame asked for meanwhile (a click's
 * selection, the camera), or after {@link WITH_FEED_MAX_MS} when the feed is quiet. So a screen
 * draws at most one frame a feed tick however its other figures come in.
 *
 * When the camera stops, the tiles of the new view come back one by one, each a frame: those are
 * held too, until every source's tiles are in (MapLibre's `areTilesLoaded`), and drawn at once.
 *
 * Never held: the camera (while the map moves, every frame is drawn as it comes), and nothing for
 * longer than {@link HOLD_MAX_MS}, so a tile lost on the way cannot freeze the map.
 *
 * One more frame is saved on the way out. A frame whose symbol tiles changed (team labels, every
 * tick) places the symbols, then marks that placement stale in case it ran over several frames
 * before the tiles changed, and asks for another frame to place them again. With no fading
 * (`fadeDuration: 0`) MapLibre places everything in one go after taking the changed tiles, so the
 * second frame would draw the same picture: {@link settlePlacement} drops that mark when the
 * placement was begun and committed in the frame that took the tiles.
 */
import type { Map as MapLibreMap, MapSourceDataEvent } from 'maplibre-gl';

/** The longest a repaint waits for updates in flight (a slow worker on a busy screen takes a few hundred ms). */
export const HOLD_MAX_MS = 1000;
/** The longest an update that can wait for the feed waits for it (the demo's feed ticks every 2 s). */
export const WITH_FEED_MAX_MS = 2500;

export interface HoldOptions {
  /** The update may wait for the feed's next frame (see above). */
  withFeed?: boolean;
}

export class RenderGate {
  readonly #map: MapLibreMap;
  readonly #repaint: () => void;
  /** Sources with an update on its way: sent to the worker, or tiles not back yet. */
  readonly #pending = new Set<string>();
  /** A repaint was asked for while held. */
  #deferred = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Set while an update waits for the feed: runs out after WITH_FEED_MAX_MS. */
  #waitingForFeed: ReturnType<typeof setTimeout> | undefined;
  /** An update that cannot wait is among those in flight: their loading releases the frame. */
  #eager = false;
  /** The camera has stopped and the new view's tiles may be on their way. */
  #arriving = false;

  constructor(map: MapLibreMap) {
    this.#map = map;
    // Every frame MapLibre schedules goes through triggerRepaint (its own `_update` and render
    // loop call it on the instance), so this one place decides whether it is drawn now.
    this.#repaint = map.triggerRepaint.bind(map);
    map.triggerRepaint = () => {
      if (map.isMoving()) this.#repaint();
      else if (this.#pending.size > 0 || (this.#arriving && !this.#tilesIn())) this.#deferred = true;
      // Anything else that asks for a frame (a selection, a pulse, the camera) draws one at once,
      // and an update loaded and waiting for the feed goes with it.
      else if (this.#waitingForFeed) this.#release(true);
      else this.#repaint();
    };
    map.on('sourcedata', this.#onSourceData);
    map.on('sourcedataabort', this.#settle);
    map.on('moveend', this.#onMoveEnd);
    const internal = map as unknown as InternalMap;
    if (typeof internal._render === 'function') {
      const render = internal._render.bind(map);
      internal._render = (t: number) => {
        if (internal.style) settlePlacement(internal.style);
        return render(t);
      };
    }
  }

  /**
   * Holds repaints until `source`, just given new data (setData / updateData), has loaded, and
   * with `withFeed` until the feed's next update has too.
   */
  hold(source: string, { withFeed = false }: HoldOptions = {}): void {
    if (!this.#map.getSource(source)) return;
    this.#pending.add(source);
    if (withFeed) {
      this.#waitingForFeed ??= setTimeout(this.#expire, WITH_FEED_MAX_MS);
      return;
    }
    this.#eager = true;
    this.#timer ??= setTimeout(this.#expire, HOLD_MAX_MS);
  }

  /** Gives the map its own triggerRepaint back and lets a held frame through. */
  detach(): void {
    this.#map.off('sourcedata', this.#onSourceData);
    this.#map.off('sourcedataabort', this.#settle);
    this.#map.off('moveend', this.#onMoveEnd);
    this.#pending.clear();
    this.#release();
    delete (this.#map as { triggerRepaint?: unknown }).triggerRepaint;
    const internal = this.#map as unknown as InternalMap;
    delete (internal as { _render?: unknown })._render;
    if (internal.style) unsettlePlacement(internal.style);
  }

  #onSourceData = (event: MapSourceDataEvent): void => {
    // A source's 'metadata' event comes before its tiles are sent for again: it would read as loaded.
    if (event.sourceDataType === 'metadata') return;
    this.#settle();
  };

  /**
   * The camera's last frame fires this before it asks for the new view's tiles, so whether they
   * are in is asked later: by the next repaint, and by each source event.
   */
  #onMoveEnd = (): void => {
    this.#arriving = true;
    this.#timer ??= setTimeout(this.#expire, HOLD_MAX_MS);
  };

  /** A wait ran out (a tile lost on the way, a quiet feed): draw what there is. */
  #expire = (): void => {
    this.#pending.clear();
    this.#release();
  };

  /** Every source's tiles for the view are in; clears the wait for them. */
  #tilesIn(): boolean {
    if (this.#arriving && this.#map.areTilesLoaded()) this.#arriving = false;
    return !this.#arriving;
  }

  #settle = (): void => {
    if (this.#arriving && this.#tilesIn() && this.#pending.size === 0 && this.#deferred) return this.#release();
    if (this.#pending.size === 0) return;
    for (const id of this.#pending) {
      if (!this.#map.getSource(id) || this.#map.isSourceLoaded(id)) this.#pending.delete(id);
    }
    // Loaded, but waiting for the feed: the frame is the feed's.
    if (this.#pending.size === 0 && !this.#arriving && (this.#eager || !this.#waitingForFeed)) this.#release();
  };

  #release(asked = false): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#waitingForFeed);
    this.#timer = this.#waitingForFeed = undefined;
    this.#eager = this.#arriving = false;
    if (!this.#deferred && !asked) return;
    this.#deferred = false;
    this.#repaint();
  }
}

/** The parts of MapLibre's (private) map and style that placement settling reads. */
interface InternalStyle {
  placement?: { stale: boolean };
  pauseablePlacement?: { isDone(): boolean };
  _updatePlacement?: (transform: unknown, showCollisionBoxes: boolean, fadeDuration: number, ...rest: unknown[]) => boolean;
}
interface InternalMap {
  style?: InternalStyle;
  _render?: (t: number) => unknown;
}
/** Styles whose placement step is wrapped (an own property over the prototype's method). */
const settled = new WeakSet<InternalStyle>();

/**
 * Wraps a style's placement step (once per style: a new basemap brings a new one) so a placement
 * begun and committed in one frame with no fading does not ask for a frame of its own. Leaves
 * MapLibre alone when its internals are not what this was written against.
 */
export function settlePlacement(style: InternalStyle): void {
  const update = style._updatePlacement;
  if (typeof update !== 'function' || settled.has(style)) return;
  settled.add(style);
  style._updatePlacement = function (this: InternalStyle, transform, showCollisionBoxes, fadeDuration, ...rest) {
    const before = this.placement;
    const dirty = update.call(this, transform, showCollisionBoxes, fadeDuration, ...rest);
    const placement = this.placement;
    // Committed in this call (a new placement), in full (nothing left to place), with no fading: the
    // only thing asking for another frame is the stale mark for buckets it has already taken.
    if (dirty && fadeDuration === 0 && placement && placement !== before && this.pauseablePlacement?.isDone()) {
      placement.stale = false;
      return false;
    }
    return dirty;
  };
}

/** Gives a style its own placement step back. */
function unsettlePlacement(style: InternalStyle): void {
  if (!settled.delete(style)) return;
  delete style._updatePlacement;
}
