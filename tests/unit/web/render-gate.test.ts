/**
 * The render gate against a stand-in for MapLibre's map: the calls it makes (triggerRepaint on the
 * instance, 'sourcedata' events, isSourceLoaded) and nothing else. What a screen's user sees is
 * how many frames are drawn for an update; the browser tests and `npm run bench -- wall` count
 * them on the real map.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { HOLD_MAX_MS, RenderGate, WITH_FEED_MAX_MS, settlePlacement } from '../../../web/src/lib/map/render-gate.ts';

/** A map whose sources load when told to, and which counts the frames it is allowed to draw. */
class StandInMap {
  frames = 0;
  moving = false;
  readonly loading = new Set<string>();
  readonly sources = new Set(['teams', 'trails', 'locations', 'township-labels']);
  readonly #listeners = new Map<string, Set<(e: unknown) => void>>();
  triggerRepaint(): void {
    this.frames++;
  }
  on(type: string, f: (e: unknown) => void): void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(f);
  }
  off(type: string, f: (e: unknown) => void): void {
    this.#listeners.get(type)?.delete(f);
  }
  getSource(id: string): object | undefined {
    return this.sources.has(id) ? {} : undefined;
  }
  isSourceLoaded(id: string): boolean {
    return !this.loading.has(id);
  }
  isMoving(): boolean {
    return this.moving;
  }
  areTilesLoaded(): boolean {
    return this.loading.size === 0;
  }
  /** The camera's last frame: 'moveend', then the new view's tiles asked for, and a frame asked for. */
  stop(newTiles: string[]): void {
    this.moving = false;
    for (const f of this.#listeners.get('moveend') ?? []) f({});
    for (const id of newTiles) this.loading.add(id);
    this.triggerRepaint();
  }
  /** A source given data: MapLibre asks for a frame as the worker takes it. */
  update(gate: RenderGate, id: string, withFeed = false): void {
    this.loading.add(id);
    gate.hold(id, { withFeed });
    this.triggerRepaint();
  }
  /** Its tiles back: MapLibre asks for a frame, then tells the listeners. */
  load(id: string): void {
    this.loading.delete(id);
    this.triggerRepaint();
    for (const f of this.#listeners.get('sourcedata') ?? []) f({ sourceId: id, sourceDataType: 'content' });
  }
}

function gated(): { map: StandInMap; gate: RenderGate } {
  const map = new StandInMap();
  const gate = new RenderGate(map as unknown as MapLibreMap);
  return { map, gate };
}

describe('the render gate', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('draws one frame for a feed tick that updates the teams and their trails, once both have loaded', () => {
    const { map, gate } = gated();
    map.update(gate, 'teams');
    map.update(gate, 'trails');
    map.load('teams');
    expect(map.frames).toBe(0);
    map.load('trails');
    expect(map.frames).toBe(1);
  });

  it('draws a coverage change with the next feed tick rather than a frame of its own', () => {
    const { map, gate } = gated();
    map.update(gate, 'locations', true);
    map.load('locations');
    map.update(gate, 'township-labels', true);
    map.load('township-labels');
    expect(map.frames).toBe(0);
    map.update(gate, 'teams');
    map.load('teams');
    expect(map.frames).toBe(1);
    vi.advanceTimersByTime(WITH_FEED_MAX_MS * 2);
    expect(map.frames).toBe(1);
  });

  it('draws a coverage change on its own when the feed is quiet, within WITH_FEED_MAX_MS', () => {
    const { map, gate } = gated();
    map.update(gate, 'locations', true);
    map.load('locations');
    vi.advanceTimersByTime(WITH_FEED_MAX_MS - 1);
    expect(map.frames).toBe(0);
    vi.advanceTimersByTime(1);
    expect(map.frames).toBe(1);
  });

  it('does not keep a click waiting for the feed: a frame asked for while a coverage change waits is drawn at once, with it', () => {
    const { map, gate } = gated();
    map.update(gate, 'locations', true);
    map.load('locations');
    map.triggerRepaint(); // a selection's filter, say
    expect(map.frames).toBe(1);
    vi.advanceTimersByTime(WITH_FEED_MAX_MS);
    expect(map.frames).toBe(1);
  });

  it('never freezes the map on a tile that does not come back: the frame is drawn after HOLD_MAX_MS', () => {
    const { map, gate } = gated();
    map.update(gate, 'teams');
    vi.advanceTimersByTime(HOLD_MAX_MS);
    expect(map.frames).toBe(1);
  });

  it('draws every frame while the camera moves', () => {
    const { map, gate } = gated();
    map.moving = true;
    map.update(gate, 'teams');
    map.triggerRepaint();
    expect(map.frames).toBe(2);
  });

  it('draws the tiles of the view the camera stopped at in one frame, once all are in', () => {
    const { map } = gated();
    map.moving = true;
    map.triggerRepaint();
    expect(map.frames).toBe(1);
    map.stop(['county', 'townships', 'teams']);
    map.load('county');
    map.load('townships');
    expect(map.frames).toBe(1);
    map.load('teams');
    expect(map.frames).toBe(2);
  });

  it('does not hold a frame after the camera stops where no tiles are missing', () => {
    const { map } = gated();
    map.stop([]);
    expect(map.frames).toBe(1);
  });

  it('gives the map its own triggerRepaint back when detached, drawing what it held', () => {
    const { map, gate } = gated();
    map.update(gate, 'teams');
    gate.detach();
    expect(map.frames).toBe(1);
    expect(Object.hasOwn(map, 'triggerRepaint')).toBe(false);
    map.triggerRepaint();
    expect(map.frames).toBe(2);
  });
});

describe('symbol placement', () => {
  /**
   * MapLibre's placement step as it behaves: with no fading, a frame whose symbol tiles changed
   * commits a new placement in full and marks it stale; with fading, a placement still running
   * (nothing committed) asks for more frames.
   */
  function style() {
    return {
      placement: { stale: false },
      pauseablePlacement: { isDone: () => true },
      _updatePlacement(_transform: unknown, _collisionBoxes: boolean, fadeDuration: number): boolean {
        if (fadeDuration === 0) this.placement = { stale: true };
        return fadeDuration === 0 ? this.placement.stale : true;
      },
    };
  }

  it("does not ask for a second, identical frame after placing a tick's labels in full", () => {
    const s = style();
    settlePlacement(s);
    expect(s._updatePlacement({}, false, 0)).toBe(false);
    expect(s.placement.stale).toBe(false);
  });

  it('leaves a placement that fades in over several frames to MapLibre', () => {
    const s = style();
    settlePlacement(s);
    expect(s._updatePlacement({}, false, 300)).toBe(true);
  });
});
