/**
 * Explicit and QR check-ins (签到) from the patrol page, and check-in queries. Automatic
 * check-ins are recorded by the position pipeline itself (tracking/ingest.ts).
 */
import { checkRanges, createLocationIndex, FixError, type KeyLocation } from '@lianfang/geo';
import type { CheckIn } from './schemas.ts';
import type { PatrolCheckIn } from '../events.ts';
import { HttpError } from '../plugins/errors.ts';
import { LIVE_FIX_MAX_AGE_MS } from './record.ts';
import { EVIDENCE_WINDOW_MS } from './evidence.ts';
import type { GeographyReadModel } from '../geography/readModel.ts';
import type { CheckInStore } from './store.ts';
import type { QrCodes } from './qr.ts';

/** Rejected for distance: carries the metres, so the patrol page can say how far off the patrol is. */
export class CheckInTooFarError extends HttpError {
  constructor(
    message: string,
    field: string,
    readonly distance: number,
    readonly allowed: number,
  ) {
    super(422, message, field);
  }
}

/** Who checks in: a device or a signed-in patrol account, always for its own team. */
export interface CheckInActor {
  teamId: string;
  by: string;
}

export interface CheckInDeps {
  store: CheckInStore;
  qr: QrCodes;
  /** Key locations, from the one geography read model. */
  places: Pick<GeographyReadModel, 'recent' | 'fresh'>;
  now: () => number;
  futureToleranceMs: number;
  /**
   * The offline window: a check-in may say it happened at most this long ago, and counts only on
   * a position of the team that reached the server within this long of being taken.
   */
  offlineWindowMs: number;
  /** A fix's accuracy counts towards the allowed distance up to this, metres. */
  maxAccuracyBonusM: number;
  announce(checkIns: CheckIn[]): void;
}

/** Metres from a point to a location (0 inside a polygon location). */
export function distanceTo(location: KeyLocation, lon: number, lat: number): number {
  return createLocationIndex([location]).nearest(lon, lat, 1)[0]!.distance;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function createCheckInService(deps: CheckInDeps) {
  const { store, qr } = deps;
  return {
    store,
    qr,

    /**
     * Records an explicit or QR check-in. A retry with the same id answers the first one
     * (`duplicate`); the same id for another location is a 409. Field names are prefixed with
     * `prefix` (`body.` over HTTP, empty over the socket).
     */
    async checkIn(actor: CheckInActor, input: PatrolCheckIn, prefix: string): Promise<{ checkIn: CheckIn; duplicate: boolean }> {
      const f = (name: string) => `${prefix}${name}`;
      const fromCode = input.code !== undefined ? qr.locationOf(input.code) : undefined;
      if (input.code !== undefined && fromCode === undefined) throw new HttpError(400, `${f('code')} is not a check-in code`, f('code'), { code: 'qr_unknown' });
      if (input.locationId !== undefined && fromCode !== undefined && input.locationId !== fromCode) {
        throw new HttpError(400, `${f('code')} belongs to location ${fromCode}, not ${input.locationId}`, f('code'), { code: 'qr_other_location' });
      }
      const locationId = input.locationId ?? fromCode;
      if (locationId === undefined) throw new HttpError(400, `${f('locationId')} is required (or a scanned code)`, f('locationId'));

      const sameAs = (c: CheckIn) => {
        if (c.locationId !== locationId) throw new HttpError(409, `${f('id')} ${input.id} was already used for a check-in at ${c.locationId}`, f('id'));
        return { checkIn: c, duplicate: true };
      };
      const earlier = await store.byId(actor.teamId, input.id);
      if (earlier) return sameAs(earlier);

      const now = deps.now();
      const location = (await deps.places.recent()).locations.get(locationId) ?? (await deps.places.fresh()).locations.get(locationId);
      const locField = input.locationId !== undefined ? f('locationId') : f('code');
      if (!location) throw new HttpError(404, `${locField} names no key location (${locationId})`, locField);
      if (input.time > now + deps.futureToleranceMs) {
        throw new HttpError(422, `${f('time')} is ${Math.round((input.time - now) / 1000)} s ahead of the server clock: check the phone's clock`, f('time'), { code: 'clock_ahead' });
      }
      if (input.time < now - deps.offlineWindowMs) {
        throw new HttpError(422, `${f('time')} is more than ${Math.round(deps.offlineWindowMs / 60_000)} minutes ago: a check-in must reach the server within the offline window`, f('time'), { code: 'checkin_too_old', params: { minutes: Math.round(deps.offlineWindowMs / 60_000) } });
      }

      const hasPosition = input.lon !== undefined || input.lat !== undefined;
      if (hasPosition) {
        if (input.lon === undefined) throw new HttpError(400, `${f('lon')} is required with lat`, f('lon'));
        if (input.lat === undefined) throw new HttpError(400, `${f('lat')} is required with lon`, f('lat'));
        try {
          checkRanges({ lon: input.lon, lat: input.lat, time: input.time, accuracy: input.accuracy });
        } catch (err) {
          if (err instanceof FixError) throw new HttpError(err.status, `${f(err.field)} ${err.message}`, f(err.field));
          throw err;
        }
      }
      const distance = hasPosition ? round1(distanceTo(location, input.lon!, input.lat!)) : null;

      let kind: CheckIn['kind'];
      if (input.code !== undefined) {
        const verdict = await qr.verify(input.code);
        if (verdict === 'invalid') throw new HttpError(403, `${f('code')} is not the current code of ${location.name}`, f('code'), { code: 'qr_invalid' });
        if (verdict === 'expired') throw new HttpError(403, `${f('code')} of ${location.name} has expired: a new poster with the current code is needed`, f('code'), { code: 'qr_expired' });
        kind = 'qr';
      } else {
        if (distance === null) throw new HttpError(400, `${f('lon')} and ${f('lat')} are required (or a scanned code)`, f('lon'));
        const allowed = round1(location.radius + Math.min(input.accuracy ?? 0, deps.maxAccuracyBonusM));
        if (distance > allowed) {
          throw new CheckInTooFarError(`${Math.round(distance)} m from ${location.name}: check in within ${Math.round(allowed)} m (radius ${location.radius} m + accuracy)`, f('lon'), distance, allowed);
        }
        kind = 'explicit';
      }

      // What the phone says is checked against what the server saw: the team's own positions, received in time.
      const evidence = await store.evidence({
        teamId: actor.teamId,
        location,
        time: input.time,
        now,
        offlineWindowMs: deps.offlineWindowMs,
        futureToleranceMs: deps.futureToleranceMs,
        maxAccuracyBonusM: deps.maxAccuracyBonusM,
      });
      if (!evidence) {
        const field = kind === 'qr' ? f('code') : f('time');
        throw new HttpError(422, `${field}: no position of the team was received near ${location.name} within ${EVIDENCE_WINDOW_MS / 60_000} minutes of the check-in's time; a check-in needs the team's live position there`, field, { code: 'checkin_no_evidence', params: { minutes: EVIDENCE_WINDOW_MS / 60_000 } });
      }

      const candidate: CheckIn = {
        id: input.id,
        teamId: actor.teamId,
        locationId,
        kind,
        time: input.time,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        accuracy: input.accuracy ?? null,
        distance,
        by: actor.by,
        at: now,
      };
      const { checkIn, created } = await store.record(candidate, now);
      if (!created) return sameAs(checkIn);
      deps.announce([checkIn]);
      return { checkIn, duplicate: false };
    },

    /** Check-ins at a location (or by a team) that happened in [from, to], oldest first; only those `visible` (the viewer's area) when given. */
    async list(query: { locationId?: string; teamId?: string; from: number; to: number; limit: number; visible?: (c: CheckIn) => boolean }): Promise<{ checkIns: CheckIn[]; truncated: boolean }> {
      // Stream ids are receipt times: a check-in may be recorded up to the offline window after it
      // happened (an automatic one up to LIVE_FIX_MAX_AGE_MS), or slightly before (clock skew).
      const stream = query.locationId !== undefined ? { locationId: query.locationId } : { teamId: query.teamId! };
      const all = await store.range(stream, query.from - deps.futureToleranceMs, query.to + Math.max(deps.offlineWindowMs, LIVE_FIX_MAX_AGE_MS));
      const found = all
        .filter((c) => c.time >= query.from && c.time <= query.to && (query.teamId === undefined || c.teamId === query.teamId) && (query.visible?.(c) ?? true))
        .sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
      return { checkIns: found.slice(0, query.limit), truncated: found.length > query.limit };
    },
  };
}

export type CheckInService = ReturnType<typeof createCheckInService>;
