/**
 * The OsmAnd protocol as Traccar's server reads it (https://www.traccar.org/osmand/), so
 * OsmAnd, Traccar Client and the many trackers that copied it report to us unchanged:
 *
 * - Query or form parameters (GET or POST): `id` or `deviceid`; `lat` and `lon` (or
 *   `location=lat,lon`); `timestamp` in Unix seconds, milliseconds (≥ 2^31), ISO 8601 or
 *   `yyyy-MM-dd HH:mm:ss` (UTC), the server's time when absent; `speed` in KNOTS; `bearing` or
 *   `heading` in degrees; `altitude`; `accuracy` in metres; `hdop`; `batt` in percent
 *   (negative: unknown); `valid=false|0` (kept, flagged). Other parameters are ignored.
 * - JSON (Traccar Client 9+): `{ device_id, location: { timestamp (ISO), coords: { latitude,
 *   longitude, accuracy, speed (m/s), heading, altitude }, is_moving, battery: { level 0–1 } } }`,
 *   or `location` as a list of such objects. Negative speed, heading or battery level means unknown.
 *
 * Parsers return the device identifier and the fixes, or an error naming the parameter.
 */
import { checkRanges, FixError, type Fix } from '@lianfang/geo';

export const KNOT = 1852 / 3600;
/** Traccar Client can queue fixes and send them as a list; the same cap as our batch API. */
export const MAX_OSMAND_BATCH = 1000;

export type Parsed = { identifier: string; fixes: Fix[]; deviceField: string } | { error: { status: 400 | 413; field: string; message: string } };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

class ParseError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

function one(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new ParseError(name, 'is given more than once');
  if (typeof v !== 'string') throw new ParseError(name, 'must be text');
  return v;
}

function number(params: Record<string, unknown>, name: string, field = name): number | undefined {
  const raw = one(params, name);
  if (raw === undefined || raw === '') return undefined;
  if (!NUMBER.test(raw.trim())) throw new ParseError(field, `must be a number, got "${raw.slice(0, 32)}"`);
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ParseError(field, `must be a finite number, got "${raw.slice(0, 32)}"`);
  return n;
}

/** Traccar's rules: integer < 2^31 is seconds, larger is ms; ISO if it has a T; else "yyyy-MM-dd HH:mm:ss" UTC. */
export function parseOsmAndTime(raw: string): number {
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < 2 ** 31 ? n * 1000 : n;
  }
  if (/^\d+\.\d+$/.test(text)) return Math.round(Number(text) * 1000);
  const iso = text.includes('T') ? text : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : '';
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(iso)) throw new ParseError('timestamp', `must be Unix seconds, milliseconds or an ISO 8601 time, got "${raw.slice(0, 40)}"`);
  return ms;
}

function rangeChecked(fix: Fix, names: Record<string, string>): Fix {
  try {
    checkRanges(fix);
  } catch (err) {
    if (err instanceof FixError) throw new ParseError(names[err.field] ?? err.field, err.message);
    throw err;
  }
  return fix;
}

const QUERY_NAMES = { lon: 'lon', lat: 'lat', time: 'timestamp', heading: 'bearing', speed: 'speed', accuracy: 'accuracy', battery: 'batt' };

/** The query/form form (`where`: query string or form body). `now` stands in for a missing timestamp, as Traccar does. */
export function parseOsmAndParams(params: Record<string, unknown>, now: number, where: 'query' | 'body' = 'query'): Parsed {
  try {
    const idName = params.id !== undefined ? 'id' : 'deviceid';
    const identifier = one(params, idName);
    if (!identifier) throw new ParseError('id', 'is required (the device identifier)');
    let lat = number(params, 'lat');
    let lon = number(params, 'lon');
    const location = one(params, 'location');
    if ((lat === undefined || lon === undefined) && location !== undefined) {
      const [a, b] = location.split(',');
      const pair = { a: a ?? '', b: b ?? '' };
      lat = number(pair, 'a', 'location');
      lon = number(pair, 'b', 'location');
    }
    if (lat === undefined) throw new ParseError('lat', 'is required');
    if (lon === undefined) throw new ParseError('lon', 'is required');
    const timestamp = one(params, 'timestamp');
    const time = timestamp === undefined || timestamp === '' ? now : parseOsmAndTime(timestamp);
    const knots = number(params, 'speed');
    const heading = number(params, 'bearing') ?? number(params, 'heading');
    const accuracy = number(params, 'accuracy');
    const battery = number(params, 'batt');
    const valid = one(params, 'valid');
    const fix: Fix = { lon, lat, time };
    if (heading !== undefined) fix.heading = heading;
    if (knots !== undefined) fix.speed = Math.round(knots * KNOT * 1000) / 1000;
    if (accuracy !== undefined) fix.accuracy = accuracy;
    if (battery !== undefined && battery >= 0) fix.battery = battery;
    if (valid !== undefined && (valid === 'false' || valid === '0')) fix.invalid = true;
    return { identifier, fixes: [rangeChecked(fix, QUERY_NAMES)], deviceField: `${where}.${idName}` };
  } catch (err) {
    if (err instanceof ParseError) return { error: { status: err.status, field: `${where}.${err.field}`, message: `${where}.${err.field} ${err.message}` } };
    throw err;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonNumber(obj: Record<string, unknown>, name: string, path: string, required: boolean): number | undefined {
  const v = obj[name];
  if (v === undefined || v === null) {
    if (required) throw new ParseError(`${path}.${name}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParseError(`${path}.${name}`, `must be a number, got ${JSON.stringify(v).slice(0, 32)}`);
  return v;
}

/** The JSON form of Traccar Client 9+ (field names relative to the body). */
export function parseOsmAndJson(body: unknown): Parsed {
  try {
    if (!isObject(body)) throw new ParseError('', 'must be a JSON object');
    const identifier = body.device_id;
    if (identifier === undefined || identifier === null || identifier === '') throw new ParseError('device_id', 'is required (the device identifier)');
    if (typeof identifier !== 'string') throw new ParseError('device_id', 'must be text');
    const raw = body.location;
    if (raw === undefined || raw === null) throw new ParseError('location', 'is required');
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw new ParseError('location', 'must hold at least one location');
    if (list.length > MAX_OSMAND_BATCH) throw new ParseError('location', `holds ${list.length} locations, more than ${MAX_OSMAND_BATCH}`, 413);
    const fixes = list.map((loc, i) => {
      const path = Array.isArray(raw) ? `location.${i}` : 'location';
      if (!isObject(loc)) throw new ParseError(path, 'must be an object');
      const coords = loc.coords;
      if (!isObject(coords)) throw new ParseError(`${path}.coords`, 'is required');
      const lat = jsonNumber(coords, 'latitude', `${path}.coords`, true)!;
      const lon = jsonNumber(coords, 'longitude', `${path}.coords`, true)!;
      if (typeof loc.timestamp !== 'string' && typeof loc.timestamp !== 'number') throw new ParseError(`${path}.timestamp`, 'is required (ISO 8601)');
      let time: number;
      try {
        time = parseOsmAndTime(String(loc.timestamp));
      } catch {
        throw new ParseError(`${path}.timestamp`, `must be an ISO 8601 time, got ${JSON.stringify(loc.timestamp).slice(0, 40)}`);
      }
      const speed = jsonNumber(coords, 'speed', `${path}.coords`, false);
      const heading = jsonNumber(coords, 'heading', `${path}.coords`, false);
      const accuracy = jsonNumber(coords, 'accuracy', `${path}.coords`, false);
      const fix: Fix = { lon, lat, time };
      if (speed !== undefined && speed >= 0) fix.speed = speed;
      if (heading !== undefined && heading >= 0) fix.heading = heading;
      if (accuracy !== undefined && accuracy >= 0) fix.accuracy = accuracy;
      if (loc.battery !== undefined && loc.battery !== null) {
        if (!isObject(loc.battery)) throw new ParseError(`${path}.battery`, 'must be an object { level }');
        const level = jsonNumber(loc.battery, 'level', `${path}.battery`, false);
        if (level !== undefined && level >= 0) fix.battery = Math.round(level * 1000) / 10;
      }
      return rangeChecked(fix, {
        lon: `${path}.coords.longitude`,
        lat: `${path}.coords.latitude`,
        time: `${path}.timestamp`,
        heading: `${path}.coords.heading`,
        speed: `${path}.coords.speed`,
        accuracy: `${path}.coords.accuracy`,
        battery: `${path}.battery.level`,
      });
    });
    return { identifier, fixes, deviceField: 'body.device_id' };
  } catch (err) {
    if (err instanceof ParseError) {
      const field = err.field ? `body.${err.field}` : 'body';
      return { error: { status: err.status, field, message: `${field} ${err.message}` } };
    }
    throw err;
  }
}

/** Field names of a fix for the pipeline's own checks (future time, outside the county…). */
export const osmAndParamsField = (where: 'query' | 'body') => (_i: number, field: string) => `${where}.${QUERY_NAMES[field as keyof typeof QUERY_NAMES] ?? field}`;
export const osmAndJsonField = (isList: boolean) => (i: number, field: string) => {
  const path = isList ? `body.location.${i}` : 'body.location';
  const names: Record<string, string> = { lon: 'coords.longitude', lat: 'coords.latitude', time: 'timestamp', heading: 'coords.heading', speed: 'coords.speed', accuracy: 'coords.accuracy', battery: 'battery.level' };
  return `${path}.${names[field] ?? field}`;
};
