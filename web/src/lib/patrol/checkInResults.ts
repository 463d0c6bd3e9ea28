/**
 * Check-ins at key locations, without the browser: the check-in a press or a scanned QR code
 * sends, and what the page shows per location once the server answered (or another phone of
 * the team checked in there). Plain functions, so unit tests need no browser.
 */
import type { CheckInAck, PatrolCheckIn, PatrolFix, TeamCheckInsBatch } from '@lianfang/server/events';
import { locationOfCode } from './link';
import { isRetry } from './socketAck';

/** What the page last learned about checking in at one key location. */
export type LocationResult =
  | { state: 'done'; time: number; duplicate: boolean }
  | { state: 'too-far'; distance: number; allowed: number }
  | { state: 'rejected' }
  | { state: 'no-fix' };

export type LocationResults = Readonly<Record<string, LocationResult>>;

/** A check-in at `locationId` from `fix` (which must be fresh). */
export function checkInAt(id: string, locationId: string, time: number, fix: PatrolFix): PatrolCheckIn {
  const checkIn: PatrolCheckIn = { id, locationId, time, lon: fix.lon, lat: fix.lat };
  if (fix.accuracy !== undefined) checkIn.accuracy = fix.accuracy;
  return checkIn;
}

/** A check-in with a scanned QR code; the fix goes along when there is a fresh one. */
export function checkInWithCode(id: string, code: string, time: number, fix: PatrolFix | null): PatrolCheckIn {
  const checkIn: PatrolCheckIn = { id, code, time };
  const locationId = locationOfCode(code);
  if (locationId) checkIn.locationId = locationId;
  if (fix) {
    checkIn.lon = fix.lon;
    checkIn.lat = fix.lat;
    if (fix.accuracy !== undefined) checkIn.accuracy = fix.accuracy;
  }
  return checkIn;
}

/** What the server's answer to a check-in says, or null when it failed on its side (send again later). */
export function resultOf(res: CheckInAck): LocationResult | null {
  if ('data' in res) return { state: 'done', time: res.data.checkIn.time, duplicate: res.data.duplicate };
  if (isRetry(res)) return null;
  if (res.error.distance !== undefined) return { state: 'too-far', distance: res.error.distance, allowed: res.error.allowed ?? 0 };
  return { state: 'rejected' };
}

/** The results with `locationId`'s set (or, with `result` undefined, removed). */
export function withResult(results: LocationResults, locationId: string, result?: LocationResult): LocationResults {
  if (result) return { ...results, [locationId]: result };
  if (!(locationId in results)) return results;
  const { [locationId]: _, ...rest } = results;
  return rest;
}

/** The results after the team's check-ins the server broadcast (any of its phones): a later one shows as done. */
export function withTeamCheckIns(results: LocationResults, checkIns: TeamCheckInsBatch['checkIns'], teamId: string | null | undefined): LocationResults {
  const next = { ...results };
  for (const c of checkIns) {
    if (c.teamId !== teamId) continue;
    const held = next[c.locationId];
    if (held?.state === 'done' && held.time >= c.time) continue;
    next[c.locationId] = { state: 'done', time: c.time, duplicate: false };
  }
  return next;
}
