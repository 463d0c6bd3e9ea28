/**
 * The phone's position fixes, without the browser: what the Geolocation API hands over turned into
 * what the server takes, which fixes are worth sending, and how long one still says where the
 * phone is. Plain functions, so unit tests need no browser.
 */
import type { PatrolFix } from '@lianfang/server/events';
import { distanceMetres } from './geo';

/** A fix older than this is not where the phone is now: no check-in or report position from it. */
export const FIX_FRESH_MS = 60_000;

/** Whether a fix received (local clock) at `receivedAt` still says where the phone is at `now`. */
export function isFresh(receivedAt: number, now: number): boolean {
  return now - receivedAt <= FIX_FRESH_MS;
}

export interface FixThrottle {
  /** Keep a fix at least this often while standing still. */
  minIntervalMs: number;
  /** …and sooner once the phone has moved this far. */
  minMoveM: number;
}

export const DEFAULT_THROTTLE: FixThrottle = { minIntervalMs: 5000, minMoveM: 10 };

/**
 * Whether a new fix is worth sending: not a repeat of the previous one, and either time enough
 * has passed (positions every 5–10 s) or the phone moved. A phone can report several times a
 * second; a county's 2,000 patrols at that rate would be noise, and a data bill.
 */
export function worthKeeping(previous: PatrolFix | null, next: PatrolFix, throttle: FixThrottle = DEFAULT_THROTTLE): boolean {
  if (!previous) return true;
  if (next.time <= previous.time) return false;
  if (next.time - previous.time >= throttle.minIntervalMs) return true;
  return distanceMetres(previous.lon, previous.lat, next.lon, next.lat) >= throttle.minMoveM;
}

/** A fix from the Geolocation API (and the battery percent, when known), with what the server would reject (NaN heading, negative speed) left out. */
export function fixFromPosition(position: GeolocationPosition, battery?: number): PatrolFix {
  const { latitude, longitude, accuracy, heading, speed } = position.coords;
  const fix: PatrolFix = { lon: longitude, lat: latitude, time: Math.round(position.timestamp) };
  if (Number.isFinite(accuracy) && accuracy >= 0) fix.accuracy = Math.min(100_000, Math.round(accuracy * 10) / 10);
  if (heading !== null && Number.isFinite(heading) && heading >= 0 && heading <= 360) fix.heading = Math.round(heading);
  if (speed !== null && Number.isFinite(speed) && speed >= 0 && speed <= 100) fix.speed = Math.round(speed * 10) / 10;
  if (battery !== undefined && battery >= 0 && battery <= 100) fix.battery = battery;
  return fix;
}
