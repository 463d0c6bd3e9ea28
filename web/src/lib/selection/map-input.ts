/**
 * How the map's own input reaches the selection: a click is the place of the report being taken,
 * a right-click (or a long press) opens the map's menu, a search result can be the report's place,
 * and Escape closes what is open.
 */
import type { SearchResult } from '@lianfang/server/api';
import type { IntakePoint } from '../live/incidents';
import type { Camera } from '../map/camera';
import { closePopup } from '../map/popup';
import type { Selection } from './selection.svelte';

/** A point on the map as a report's place, named by the township and grid drawn there. */
export function intakePoint(camera: Camera | null, at: [number, number]): IntakePoint {
  return { lon: at[0], lat: at[1], label: camera?.placeAt(at) ?? null };
}

/** A search result as a report's place; a key location's or a village's name prefills the address. */
export function searchPoint(result: SearchResult): IntakePoint {
  const address = result.kind === 'location' || result.kind === 'village' ? result.name : null;
  return { lon: result.lon, lat: result.lat, label: [result.context, result.name].filter(Boolean).join(' · '), address };
}

/** Sends the map's clicks and right-clicks to `selection`; the menu opens only when `mayUseMenu()`. */
export function followMapInput(camera: Camera, selection: Selection, mayUseMenu: () => boolean): void {
  camera.listen(
    (event) => {
      selection.send({ type: 'closeMenu' });
      if (!selection.intake) return;
      selection.send({ type: 'pickPoint', point: intakePoint(camera, camera.context.fromScreen(event.lngLat)) });
      // The click also reached the feature under it (a grid's popup): not wanted while picking.
      closePopup();
    },
    (event) => {
      if (!mayUseMenu()) return;
      event.preventDefault();
      selection.send({ type: 'openMenu', menu: { x: event.point.x, y: event.point.y, at: camera.context.fromScreen(event.lngLat) } });
    },
  );
}

/** Escape closes the map's menu, else the shift form, else what is selected and its popup; not while typing in a field. */
export function onEscape(event: KeyboardEvent, selection: Selection): void {
  if (event.key !== 'Escape') return;
  if (event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable]')) return;
  const closesSelection = !selection.menu && !selection.shiftTeamId;
  selection.send({ type: 'escape' });
  if (closesSelection) closePopup();
}
