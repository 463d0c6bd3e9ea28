/** One popup at a time on the map: opening another closes the first. */
import { Popup, type LngLatLike, type Map as MapLibreMap } from 'maplibre-gl';

export interface OpenPopup {
  /** Replaces the content if this popup is still the open one; false once it closed. */
  update(content: Node): boolean;
  setLngLat(lngLat: LngLatLike): void;
  isOpen(): boolean;
  close(): void;
}

let current: Popup | null = null;

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
  popup.on('close', () => {
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
  };
}

export function closePopup(): void {
  current?.remove();
}
