/** Whether a point lies inside a major event's perimeter. */
import { pointInPolygon } from '../pointInPolygon.ts';
import type { EventPerimeter } from './types.ts';

/**
 * True when the point lies in the perimeter: inside its polygon, or in one of its grids
 * (`gridAt` finds the grid of a point, the geography read model's grid index).
 *
 * @example
 * perimeterContains({ gridIds: ['G-A1'] }, 118.62, 33.85, (lon, lat) => index.gridAt(lon, lat)?.id); // true
 */
export function perimeterContains(perimeter: EventPerimeter, lon: number, lat: number, gridAt: (lon: number, lat: number) => string | undefined): boolean {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return false;
  if (perimeter.polygon) return pointInPolygon([lon, lat], perimeter.polygon);
  if (perimeter.gridIds?.length) {
    const grid = gridAt(lon, lat);
    return grid !== undefined && perimeter.gridIds.includes(grid);
  }
  return false;
}
