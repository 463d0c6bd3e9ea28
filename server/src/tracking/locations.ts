/**
 * The key-location index and the county's padded bounding box, built once per geography
 * version. The version is re-read at most once a second, so the ingest hot path does not pay a
 * Redis round trip per request; a new location starts counting check-ins within a second.
 */
import { createLocationIndex, type KeyLocation, type LocationIndex } from '@lianfang/geo';
import type { GeographyService } from '../geography/service.ts';
import { bboxOf } from '../geography/shapes.ts';

export interface LocationContext {
  version: number;
  index: LocationIndex;
  byId: Map<string, KeyLocation>;
  /** County box padded by ~100 km; null while no county is loaded. */
  area: [number, number, number, number] | null;
}

/** Fixes farther than this outside the county's box are refused as nonsense (degrees of latitude, ~111 km). */
const AREA_PAD_DEGREES = 1;
const RECHECK_MS = 1000;

function build(version: number, locations: KeyLocation[], county: { geometry?: unknown } | undefined): LocationContext {
  let area: LocationContext['area'] = null;
  try {
    const [w, s, e, n] = bboxOf(county?.geometry as Parameters<typeof bboxOf>[0]);
    if ([w, s, e, n].every(Number.isFinite)) {
      const padLon = AREA_PAD_DEGREES / Math.max(0.05, Math.cos((Math.max(Math.abs(s), Math.abs(n)) * Math.PI) / 180));
      area = [w - padLon, s - AREA_PAD_DEGREES, e + padLon, n + AREA_PAD_DEGREES];
    }
  } catch {
    area = null;
  }
  return { version, index: createLocationIndex(locations), byId: new Map(locations.map((l) => [l.id, l])), area };
}

export function createLocationCache(geography: Pick<GeographyService, 'snapshot'>, onError: (err: Error) => void) {
  let current: LocationContext | undefined;
  let checkedAt = -Infinity;
  let pending: Promise<LocationContext> | undefined;
  let failing = false;

  function refresh(): Promise<LocationContext> {
    pending ??= geography
      .snapshot()
      .then((snap) => {
        if (!current || current.version !== snap.version) current = build(snap.version, snap.raw.locations, snap.raw.county);
        failing = false;
        return current;
      })
      // A failed read waits out RECHECK_MS like a good one: during an outage, one try a second, not one per request.
      .finally(() => {
        checkedAt = performance.now();
        pending = undefined;
      });
    return pending;
  }

  return {
    /** The current context; waits only when there is none yet (first request, or after `invalidate`). */
    async get(): Promise<LocationContext> {
      if (!current) return refresh();
      if (performance.now() - checkedAt > RECHECK_MS && !pending) {
        refresh().catch((err: Error) => {
          // Reported once per outage; the Redis plugin logs the outage itself.
          if (!failing) onError(err);
          failing = true;
        });
      }
      return current;
    },
    /** Forces the next `get` to read the version again and wait for it (explicit check-ins, tests). */
    async fresh(): Promise<LocationContext> {
      return refresh();
    },
  };
}

export type LocationCache = ReturnType<typeof createLocationCache>;
