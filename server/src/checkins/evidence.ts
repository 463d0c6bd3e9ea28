/**
 * The evidence behind an explicit or QR check-in: the team's own positions as the server
 * received them. A check-in at client time T counts only when the team's track holds a fix
 * taken within EVIDENCE_WINDOW_MS of T, received (stream id) within the offline window of
 * being taken and no later than T + the window, and inside the location's radius plus its
 * accuracy (capped). So neither a backdated time nor a photographed QR code makes a visit.
 */
import { createLocationIndex, type KeyLocation } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

/** A supporting fix must have been taken within this of the check-in's time. */
export const EVIDENCE_WINDOW_MS = 5 * 60_000;
/** Stream entries read per XRANGE, and at most this many pages: a patrol at one fix a second fills 40 minutes. */
const PAGE = 600;
const MAX_PAGES = 4;

export interface EvidenceQuery {
  teamId: string;
  location: KeyLocation;
  /** The check-in's client time, ms. */
  time: number;
  now: number;
  offlineWindowMs: number;
  futureToleranceMs: number;
  maxAccuracyBonusM: number;
}

/** A fix that supports a check-in: its receive and fix times, ms. */
export interface Evidence {
  receivedAt: number;
  time: number;
}

/**
 * Finds a fix of the team's track (`team:track:<team>`, written by tracking/lua/ingest.lua:
 * fields t lon lat acc q, ids on the app clock) that supports the check-in, or null. Reads only
 * the receive-time slice such a fix can lie in, a page at a time, stopping at the first match.
 */
export async function findEvidence(redis: Redis, keys: Keys, q: EvidenceQuery): Promise<Evidence | null> {
  const key = keys.teamTrack(q.teamId);
  // Received no earlier than taken (less the phone's clock skew), and no later than T + the window.
  let start = String(Math.max(0, q.time - EVIDENCE_WINDOW_MS - q.futureToleranceMs));
  const end = String(Math.min(q.now, q.time + q.offlineWindowMs));
  if (Number(start) > Number(end)) return null;
  const index = createLocationIndex([q.location]);
  for (let page = 0; page < MAX_PAGES; page++) {
    const entries = await redis.xRange(key, start, end, { COUNT: PAGE });
    for (const { id, message } of entries) {
      const m = message as Record<string, string>;
      const receivedAt = Number(id.slice(0, id.indexOf('-')));
      const t = Number(m.t);
      if (m.q === 'p' || Math.abs(t - q.time) > EVIDENCE_WINDOW_MS || receivedAt - t > q.offlineWindowMs) continue;
      const accuracy = m.acc ? Number(m.acc) : 0;
      const allowed = q.location.radius + Math.min(accuracy, q.maxAccuracyBonusM);
      if (index.nearest(Number(m.lon), Number(m.lat), 1)[0]!.distance <= allowed) return { receivedAt, time: t };
    }
    if (entries.length < PAGE) break;
    start = `(${entries[entries.length - 1]!.id}`;
  }
  return null;
}
