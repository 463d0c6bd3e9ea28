/**
 * The one position pipeline every source lands in (our HTTP API, OsmAnd/Traccar, OwnTracks, the
 * patrol page's socket). Per request, after the checks: one Lua script that, atomically,
 * authenticates the device (or takes a signed-in patrol's team), appends every fix to the
 * team's history, moves the latest position only for a newer fix, advances the team's dwell
 * time at key locations and records the automatic check-ins that completes (`lua/ingest.lua`).
 * Only after Redis answered is anything acknowledged or broadcast.
 */
import { checkFix, FixError, type Fix, type TeamPosition } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { CheckIn } from '../checkins/schemas.ts';
import { LIVE_FIX_MAX_AGE_MS } from '../checkins/record.ts';
import type { PositionsAccepted } from './schemas.ts';
import { HttpError } from '../plugins/errors.ts';
import type { GeographyReadModel } from '../geography/readModel.ts';
import { newestBattery, runIngest, type IngestAuth, type IngestFix } from './trackingScripts.ts';

export type { IngestAuth };

/**
 * A fix uploaded more than this long after it was taken is late: also indexed by fix time (track
 * queries), and left out of the dwell clock (no automatic check-in in the past).
 */
export const LATE_AFTER_MS = LIVE_FIX_MAX_AGE_MS;

export type IngestSource = 'http' | 'osmand' | 'owntracks' | 'socket';

export interface IngestDeps {
  redis: Redis;
  keys: Keys;
  /** Key locations and the county's box, from the one geography read model. */
  places: Pick<GeographyReadModel, 'recent'>;
  now: () => number;
  retentionMs: number;
  futureToleranceMs: number;
  dwellMs: number;
  poorAccuracyM: number;
  /** Positions that moved a team, for the live maps (already in Redis). */
  publish(positions: TeamPosition[]): void;
  /** Automatic check-ins the fixes completed (already in Redis). */
  announceCheckIns(checkIns: CheckIn[]): void;
}

export interface IngestResult extends PositionsAccepted {
  teamId: string;
  deviceId: string;
}

/** Names a fix's field in the caller's terms, e.g. `body.positions.3.lat` or `query.lat`. */
export type FieldNamer = (index: number, field: string) => string;

export function createIngest(deps: IngestDeps) {
  const { redis, keys } = deps;
  // Accepted counts are added up here and written once a second: one command fewer per request.
  const accepted = new Map<IngestSource, number>();

  async function refuseUnlessValid(hash: string, deviceField: string): Promise<void> {
    const value = await redis.hGet(keys.deviceAuth, hash);
    if (!value) throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
    if (!value.endsWith('\t')) throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
  }

  return {
    /** Writes the accepted counts added up since the last call (`accepted:<source>` in ingest:stats). */
    async flushStats(): Promise<void> {
      if (accepted.size === 0) return;
      const counts = [...accepted];
      accepted.clear();
      const multi = redis.multi();
      for (const [source, n] of counts) multi.hIncrBy(keys.ingestStats, `accepted:${source}`, n);
      await multi.exec().catch(() => {
        for (const [source, n] of counts) accepted.set(source, (accepted.get(source) ?? 0) + n);
      });
    },

    /**
     * Checks every fix, then records them all or none. Throws HttpError 400/422 naming the
     * field for a bad fix, 401 for an unknown device, 403 for a revoked one.
     */
    async ingest(auth: IngestAuth, fixes: Fix[], source: IngestSource, field: FieldNamer, deviceField: string): Promise<IngestResult> {
      const now = deps.now();
      const places = await deps.places.recent();
      const limits = { now, futureToleranceMs: deps.futureToleranceMs, retentionMs: deps.retentionMs, area: places.area };
      for (let i = 0; i < fixes.length; i++) {
        try {
          checkFix(fixes[i]!, limits);
        } catch (err) {
          if (!(err instanceof FixError)) throw err;
          // An unknown or revoked device hears that first, not what is wrong with its data.
          if ('deviceHash' in auth) await refuseUnlessValid(auth.deviceHash, deviceField);
          throw new HttpError(err.status, `${field(i, err.field)} ${err.message}`, field(i, err.field));
        }
      }
      // Oldest first: the history reads in order and the dwell clock only moves forward.
      const ordered = fixes.length > 1 ? [...fixes].sort((a, b) => a.time - b.time) : fixes;
      let flagged = 0;
      const batch: IngestFix[] = ordered.map((fix) => {
        const poor = fix.invalid === true || (fix.accuracy !== undefined && fix.accuracy > deps.poorAccuracyM);
        if (poor) flagged++;
        // A poor fix neither starts nor ends a visit, nor does a late one: dwell runs on server receive time.
        const near = poor || now - fix.time > LATE_AFTER_MS ? null : places.locationIndex.size === 0 ? [] : places.locationIndex.near(fix.lon, fix.lat);
        return { fix, poor, near };
      });
      const battery = newestBattery(ordered);
      const reply = await runIngest(redis, keys, { auth, now, retentionMs: deps.retentionMs, lateAfterMs: LATE_AFTER_MS, dwellMs: deps.dwellMs, fixes: batch, ...(battery !== undefined ? { battery } : {}) });
      if (reply.status === 'unknown') throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
      if (reply.status === 'revoked') throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
      accepted.set(source, (accepted.get(source) ?? 0) + ordered.length);
      const { teamId, deviceId, newest, older, checkIns } = reply;
      if (newest > 0) {
        const f = ordered[newest - 1]!;
        const p: TeamPosition = { teamId, lon: f.lon, lat: f.lat, time: f.time };
        if (f.heading !== undefined) p.heading = f.heading;
        if (f.speed !== undefined) p.speed = f.speed;
        if (f.accuracy !== undefined) p.accuracy = f.accuracy;
        if (battery !== undefined) p.battery = battery;
        deps.publish([p]);
      }
      if (checkIns.length > 0) deps.announceCheckIns(checkIns);
      return { teamId, deviceId, accepted: ordered.length, moved: newest > 0, older, flagged, checkIns };
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
