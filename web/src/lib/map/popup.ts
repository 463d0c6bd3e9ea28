/** One popup at a time on the map: opening another closes the first. */
import { Popup, type LngLatLike, type Map as MapLibreMap } from 'maplibre-gl';

export interface OpenPopup {
  /** Replaces the content if this popup is still the open one; false once it closed. */
  update(content: Node): boolean;
  setLngLat(lngLat: LngLatLike): void;
  isOpen(): boolean;
  close(): void;
  /** Calls `handler` once when it closes (closed by hand, or replaced by another popup). */
  onClose(handler: () => void): void;
}

let current: Popup | null = null;

/** Space kept between a popup and the map's top (under the header) and bottom edges, CSS px. */
const TOP_CLEARANCE = 64 + 16;
const BOTTOM_CLEARANCE = 16;

/**
 * Pans the map just enough that a tall popup (a team with its members and check-ins) is not cut
 * off by the bottom of the screen, without pushing its top under the header.
 */
function keepInView(map: MapLibreMap, popup: Popup): void {
  requestAnimationFrame(() => {
    const element = popup.getElement();
    if (!element || current !== popup) return;
    const box = element.getBoundingClientRect();
    const frame = map.getContainer().getBoundingClientRect();
    const over = box.bottom - (frame.bottom - BOTTOM_CLEARANCE);
    const room = box.top - (frame.top + TOP_CLEARANCE);
    const dy = Math.min(over, room);
    if (dy > 4) map.panBy([0, dy], { duration: 300 });
  });
}

export function openPopup(map: MapLibreMap, lngLat: LngLatLike, content: Node): OpenPopup {
  current?.remove();
  const popup = new Popup({
    className: 'lf-popup-shell',
    maxWidth: '340px',
    offset: 12,
    focusAfterOpen: false,
  })
    .setLngLat(lngLat)
    .setDOMContent(content)
    .addTo(map);
  current = popup;
  // Whenever its content grows (details arriving after it opened), bring it back on screen.
  const resized = new ResizeObserver(() => keepInView(map, popup));
  resized.observe(popup.getElement());
  popup.on('close', () => {
    resized.disconnect();
    if (current === popup) current = null;
  });
  return {
    update(next) {
      if (current !== popup) return false;
      popup.setDOMContent(next);
      return true;
    },
    setLngLat(next) {
      if (current === popup) popup.setLngLat(next);
    },
    isOpen: () => current === popup,
    close: () => popup.remove(),
    onClose: (handler) => {
      popup.once('close', handler);
    },
  };
}

export function closePopup(): void {
  current?.remove();
}
