/** Distances on the patrol page: how far each key location is from the phone's latest fix. */
import type { PatrolLocation } from '@lianfang/server/events';

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine; the server measures the same way to a metre). */
export function distanceMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface NearbyLocation {
  location: PatrolLocation;
  /** Metres from the fix; null before the first fix. */
  distance: number | null;
  /** Whether a check-in from here would likely be accepted (within radius + accuracy). */
  inRange: boolean;
}

/**
 * The team's key locations, nearest first from `fix` (by name before there is a fix, so the list
 * doesn't jump about while the phone looks for satellites).
 */
export function nearestFirst(
  locations: readonly PatrolLocation[],
  fix: { lon: number; lat: number; accuracy?: number } | null,
): NearbyLocation[] {
  const out = locations.map((location): NearbyLocation => {
    if (!fix) return { location, distance: null, inRange: false };
    const distance = distanceMetres(fix.lon, fix.lat, location.lon, location.lat);
    return { location, distance, inRange: distance <= location.radius + (fix.accuracy ?? 0) };
  });
  return out.sort((a, b) =>
    a.distance !== null && b.distance !== null ? a.distance - b.distance : a.location.name.localeCompare(b.location.name, 'zh-CN'),
  );
}

/** "320 米" / "1.4 公里" style numbers: whole metres below 1 km, one decimal above. */
export function roundDistance(metres: number): { unit: 'm' | 'km'; value: number } {
  if (metres < 1000) return { unit: 'm', value: Math.round(metres) };
  return { unit: 'km', value: Math.round(metres / 100) / 10 };
}
