/**
 * Moving the command map to what is looked at (a place, a township, a replayed track) and reading
 * what lies under a point. Positions are WGS-84; the map context shifts them to what it draws in.
 */
import type { Map as MapLibreMap, MapMouseEvent, MapTouchEvent, PaddingOptions } from 'maplibre-gl';
import { bboxOf, type Bbox } from './geometry';
import type { MapContext } from './map-context.svelte';
import type { Geometry } from 'geojson';

/** A press held this long on a touch screen opens the map's menu, ms. */
const LONG_PRESS_MS = 600;

export class Camera {
  constructor(
    readonly map: MapLibreMap,
    readonly context: MapContext,
    /** Keeps what is shown clear of the panels around the map. */
    private readonly padding: () => PaddingOptions,
  ) {}

  /** Flies to a place, close enough to tell its locations apart. */
  flyTo(at: [number, number]): void {
    this.map.flyTo({ center: this.context.toScreen(at), zoom: Math.max(this.map.getZoom(), 15), padding: this.padding(), duration: 900 });
  }

  /** Fits the map to a geometry; false when it has no extent. */
  fit(geometry: Geometry, options: { maxZoom?: number; duration: number; bottom?: number }): boolean {
    const bbox = bboxOf(geometry);
    if (!bbox) return false;
    this.fitBbox(bbox, options);
    return true;
  }

  fitBbox(bbox: Bbox, { maxZoom, duration, bottom }: { maxZoom?: number; duration: number; bottom?: number }): void {
    const padding = bottom === undefined ? this.padding() : { ...this.padding(), bottom };
    this.map.fitBounds(this.context.toScreenBbox(bbox), { padding, duration, ...(maxZoom === undefined ? {} : { maxZoom }) });
  }

  /** The township and grid names at a point ("township · grid"), for a report's place (the server finds the grid itself). */
  placeAt(at: [number, number]): string | null {
    const point = this.map.project(this.context.toScreen(at));
    const grid = this.map.queryRenderedFeatures(point, { layers: ['grid-fill'] })[0];
    const township = this.map.queryRenderedFeatures(point, { layers: ['township-fill'] })[0];
    const names = [township?.properties.name as string | undefined, grid?.properties.name as string | undefined].filter(Boolean);
    return names.length ? names.join(' · ') : null;
  }

  /** Calls `onclick` on a click and `onmenu` on a right-click or a long press (a touch screen's right-click). */
  listen(onclick: (event: MapMouseEvent) => void, onmenu: (event: MapMouseEvent | MapTouchEvent) => void): void {
    const { map } = this;
    map.on('click', onclick);
    map.on('contextmenu', onmenu);
    let press: ReturnType<typeof setTimeout> | undefined;
    map.on('touchstart', (event: MapTouchEvent) => {
      clearTimeout(press);
      if (event.points.length === 1) press = setTimeout(() => onmenu(event), LONG_PRESS_MS);
    });
    for (const cancel of ['touchend', 'touchcancel', 'touchmove', 'movestart'] as const) map.on(cancel, () => clearTimeout(press));
  }
}
