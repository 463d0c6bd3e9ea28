/**
 * The one in-memory read model of the geography that the domains work from: key locations (with
 * their marker points and a nearby-location index), grids (with a point → grid index),
 * townships, organisations and the county's padded box, built once per geography version and
 * shared by the position pipeline, check-ins, alerts, coverage and incidents.
 */
import { createGridIndex, createLocationIndex, type Grid, type GridIndex, type KeyLocation, type LocationIndex, type Organisation } from '@lianfang/geo';
import type { GeographyService, GeographySnapshot } from './service.ts';
import { bboxOf, locationPoint, type BBox } from './shapes.ts';

export interface Places {
  version: number;
  /** Key locations by id, each with its marker point. */
  locations: Map<string, KeyLocation & { lon: number; lat: number }>;
  /** Key locations near a point (dwell, check-ins). */
  locationIndex: LocationIndex;
  grids: Map<string, Grid>;
  gridIndex: GridIndex;
  /** Township id → name (coverage alerts are per township). */
  townships: Map<string, { id: string; name: string }>;
  keyGridIds: Set<string>;
  organisations: Map<string, Organisation>;
  /** County box padded by ~100 km, outside which a fix is nonsense; null while no county is loaded. */
  area: BBox | null;
}

/** Fixes farther than this outside the county's box are refused as nonsense (degrees of latitude, ~111 km). */
const AREA_PAD_DEGREES = 1;
/** How often {@link GeographyReadModel.recent} re-reads the version: a new location counts within a second. */
const RECHECK_MS = 1000;

function paddedArea(county: { geometry?: unknown } | undefined): BBox | null {
  try {
    const [w, s, e, n] = bboxOf(county?.geometry as Parameters<typeof bboxOf>[0]);
    if (![w, s, e, n].every(Number.isFinite)) return null;
    const padLon = AREA_PAD_DEGREES / Math.max(0.05, Math.cos((Math.max(Math.abs(s), Math.abs(n)) * Math.PI) / 180));
    return [w - padLon, s - AREA_PAD_DEGREES, e + padLon, n + AREA_PAD_DEGREES];
  } catch {
    return null;
  }
}

function build(snap: GeographySnapshot): Places {
  const { raw } = snap;
  const locations = new Map<string, KeyLocation & { lon: number; lat: number }>();
  for (const l of raw.locations) {
    const [lon, lat] = locationPoint(l);
    locations.set(l.id, { ...l, lon, lat });
  }
  return {
    version: snap.version,
    locations,
    locationIndex: createLocationIndex(raw.locations),
    grids: new Map(raw.grids.map((g) => [g.id, g])),
    gridIndex: createGridIndex(raw.grids),
    townships: new Map(raw.townships.map((t) => [t.id, { id: t.id, name: t.name }])),
    keyGridIds: new Set(raw.grids.filter((g) => g.key).map((g) => g.id)),
    organisations: new Map(raw.organisations.map((o) => [o.id, o])),
    area: paddedArea(raw.county),
  };
}

export function createGeographyReadModel(geography: Pick<GeographyService, 'snapshot'>, onError: (err: Error) => void) {
  let places: Places | undefined;
  let checkedAt = -Infinity;
  let pending: Promise<Places> | undefined;
  let failing = false;

  /** Places for the version in Redis now (rebuilt when it changed). */
  async function current(): Promise<Places> {
    try {
      const snap = await geography.snapshot();
      if (!places || places.version !== snap.version) places = build(snap);
      failing = false;
      return places;
    } finally {
      // A failed read waits out RECHECK_MS like a good one: during an outage, one try a second, not one per request.
      checkedAt = performance.now();
    }
  }

  /** Reads the version again and waits for it, one read at a time. */
  function fresh(): Promise<Places> {
    pending ??= current().finally(() => (pending = undefined));
    return pending;
  }

  return {
    current,
    fresh,
    /**
     * The places last built, re-reading the version in the background at most once a second, so
     * the ingest hot path does not pay a Redis round trip per request; waits only when there
     * are none yet.
     */
    async recent(): Promise<Places> {
      if (!places) return fresh();
      if (performance.now() - checkedAt > RECHECK_MS && !pending) {
        fresh().catch((err: Error) => {
          // Reported once per outage; the Redis plugin logs the outage itself.
          if (!failing) onError(err);
          failing = true;
        });
      }
      return places;
    },
    /** The places last built, for synchronous lookups (alert views); undefined before the first load. */
    cached(): Places | undefined {
      return places;
    },
  };
}

export type GeographyReadModel = ReturnType<typeof createGeographyReadModel>;
