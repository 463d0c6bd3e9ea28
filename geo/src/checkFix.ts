/**
 * One position fix as every ingest route hands it to the pipeline, with the checks that do not
 * depend on the wire format: ranges, (0, 0), timestamps too far ahead or older than retention,
 * a point nowhere near the county (latitude and longitude swapped). Check-ins reuse the range
 * checks for the position they carry.
 */

export interface Fix {
  lon: number;
  lat: number;
  /** Fix time, epoch ms. */
  time: number;
  /** Degrees clockwise from north. */
  heading?: number;
  /** m/s. */
  speed?: number;
  /** Horizontal accuracy, metres. */
  accuracy?: number;
  /** Battery charge in percent (0–100) when the device reported it. */
  battery?: number;
  /** The device itself says the fix is not valid (OsmAnd `valid=false`): kept, flagged. */
  invalid?: boolean;
}

/** Redis GEO cannot index the poles; no patrol goes there. */
export const MAX_LAT = 85.05112878;
/** 100 m/s = 360 km/h: anything faster is a broken speed, not a patrol car. */
export const MAX_SPEED = 100;

/** A fix that fails a check, naming the field (relative to the fix) and the status to answer: 400 malformed, 422 implausible. */
export class FixError extends Error {
  constructor(
    readonly status: 400 | 422,
    readonly field: 'lon' | 'lat' | 'time' | 'heading' | 'speed' | 'accuracy' | 'battery',
    message: string,
  ) {
    super(message);
  }
}

export interface FixLimits {
  now: number;
  futureToleranceMs: number;
  retentionMs: number;
  /** County bounding box [w, s, e, n], padded; null before any geography is loaded. */
  area: [number, number, number, number] | null;
}

/** Range checks for fixes parsed from strings (the JSON schema does these for our own API). */
export function checkRanges(fix: Fix): void {
  if (!(fix.lon >= -180 && fix.lon <= 180)) throw new FixError(400, 'lon', `must be a number from -180 to 180, got ${fix.lon}`);
  if (!(fix.lat >= -MAX_LAT && fix.lat <= MAX_LAT)) throw new FixError(400, 'lat', `must be a number from -${MAX_LAT} to ${MAX_LAT}, got ${fix.lat}`);
  if (!Number.isInteger(fix.time) || fix.time < 0) throw new FixError(400, 'time', `must be a time, got ${fix.time}`);
  if (fix.heading !== undefined && !(fix.heading >= 0 && fix.heading <= 360)) throw new FixError(400, 'heading', `must be a number from 0 to 360, got ${fix.heading}`);
  if (fix.speed !== undefined && !(fix.speed >= 0 && fix.speed <= MAX_SPEED)) throw new FixError(400, 'speed', `must be a number from 0 to ${MAX_SPEED} m/s, got ${fix.speed}`);
  if (fix.accuracy !== undefined && !(fix.accuracy >= 0 && fix.accuracy <= 100_000)) throw new FixError(400, 'accuracy', `must be a number from 0 to 100000 m, got ${fix.accuracy}`);
  if (fix.battery !== undefined && !(fix.battery >= 0 && fix.battery <= 100)) throw new FixError(400, 'battery', `must be a percentage from 0 to 100, got ${fix.battery}`);
}

/**
 * Checks that need the clock and the county; throws {@link FixError}.
 *
 * @example
 * checkFix({ lon: 0, lat: 0, time: now }, limits); // throws FixError 422 lat: the device has no GPS fix
 */
export function checkFix(fix: Fix, limits: FixLimits): void {
  if (fix.lon === 0 && fix.lat === 0) throw new FixError(422, 'lat', 'is (0, 0): the device has no GPS fix');
  if (fix.time > limits.now + limits.futureToleranceMs) {
    throw new FixError(422, 'time', `is ${Math.round((fix.time - limits.now) / 1000)} s ahead of the server clock (tolerance ${limits.futureToleranceMs / 1000} s): check the device's clock`);
  }
  if (fix.time < limits.now - limits.retentionMs) {
    const hint = fix.time < 100_000_000_000 ? ' (seconds instead of milliseconds?)' : '';
    throw new FixError(422, 'time', `is older than the ${Math.round(limits.retentionMs / 86_400_000)}-day retention${hint}`);
  }
  const area = limits.area;
  if (area && !(fix.lon >= area[0] && fix.lon <= area[2] && fix.lat >= area[1] && fix.lat <= area[3])) {
    const swapped = fix.lat >= area[0] && fix.lat <= area[2] && fix.lon >= area[1] && fix.lon <= area[3];
    throw new FixError(422, 'lat', `(${fix.lon}, ${fix.lat}) is far outside the county${swapped ? ': latitude and longitude are swapped' : ''}`);
  }
}
