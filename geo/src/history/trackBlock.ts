/**
 * A team's positions of one hour as one compact byte block (轨迹压缩块): what the server keeps
 * of history older than a few hours instead of a stream entry per position (~76 bytes each).
 * Pure: the server deflates the bytes this returns (zlib deflateRaw) and stores them in Redis.
 *
 * Layout (before deflate), every number an unsigned LEB128 varint, signed ones zigzagged:
 *   version (1) · n · device count · each device: byte length, UTF-8 · first time (ms)
 *   then one column per field, so that deflate sees runs of like values:
 *   time      n-1 delta-of-deltas (a phone reporting every 5 s writes zeros)
 *   flags     n bytes: bit 0 heading, 1 speed, 2 accuracy present, bit 3 poor
 *   device    n device indexes (almost always 0)
 *   lon, lat  first value, then n-1 deltas, in 1e-6 degree (about 0.1 m)
 *   heading   deltas of the present ones, whole degrees
 *   speed     deltas of the present ones, 0.1 m/s
 *   accuracy  deltas of the present ones, 0.1 m
 * Values are rounded to those steps on the way in (`quantizeHistoryPoint`), so a block decodes
 * to exactly the points it was given after rounding; readers round positions still in the
 * stream the same way, so a track reads the same before and after compaction.
 */

/** One stored position of a team's history. */
export interface HistoryPoint {
  /** Fix time, epoch ms. */
  time: number;
  lon: number;
  lat: number;
  /** Degrees clockwise from north, or null when the device sent none. */
  heading: number | null;
  /** m/s, or null. */
  speed: number | null;
  /** Horizontal accuracy, metres, or null. */
  accuracy: number | null;
  /** Poor accuracy, or marked invalid by the device. */
  poor: boolean;
  /** Who reported it (device id, or the signed-in reporter / 'simulator'). */
  device: string;
}

const VERSION = 1;
const DEG = 1e6;
const HEADING = 1;
const SPEED = 10;
const ACCURACY = 10;

const round = (v: number, scale: number) => Math.round(v * scale) / scale;
const roundOrNull = (v: number | null, scale: number) => (v === null ? null : round(v, scale));

/**
 * A point rounded to what a block keeps: 1e-6 degree, whole degrees of heading, 0.1 m/s, 0.1 m.
 *
 * @example
 * quantizeHistoryPoint({ time: 1, lon: 118.12345678, lat: 33.1, heading: 90.4, speed: 1.44, accuracy: 8.06, poor: false, device: 'd' });
 * // → { …, lon: 118.123457, heading: 90, speed: 1.4, accuracy: 8.1 }
 */
export function quantizeHistoryPoint(p: HistoryPoint): HistoryPoint {
  return {
    time: p.time,
    lon: round(p.lon, DEG),
    lat: round(p.lat, DEG),
    heading: roundOrNull(p.heading, HEADING),
    speed: roundOrNull(p.speed, SPEED),
    accuracy: roundOrNull(p.accuracy, ACCURACY),
    poor: p.poor,
    device: p.device,
  };
}

/** Orders points by time, then place and reporter, so a block's bytes depend only on its points. */
export function compareHistoryPoints(a: HistoryPoint, b: HistoryPoint): number {
  return a.time - b.time || a.lon - b.lon || a.lat - b.lat || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0);
}

/** The identity of a stored position: the same fix met twice (stream and block, or a block merged again) counts once. */
export function historyPointKey(p: HistoryPoint): string {
  return `${p.time}|${Math.round(p.lon * DEG)}|${Math.round(p.lat * DEG)}|${p.device}`;
}

/**
 * Rounds, orders and de-duplicates points (by `historyPointKey`): what a block holds of them.
 *
 * @example
 * mergeHistoryPoints(decodeTrackBlock(old), fresh); // the hour's points, each once, oldest first
 */
export function mergeHistoryPoints(...lists: ReadonlyArray<readonly HistoryPoint[]>): HistoryPoint[] {
  const byKey = new Map<string, HistoryPoint>();
  for (const list of lists) {
    for (const p of list) {
      const q = quantizeHistoryPoint(p);
      const key = historyPointKey(q);
      if (!byKey.has(key)) byKey.set(key, q);
    }
  }
  return [...byKey.values()].sort(compareHistoryPoints);
}

class Writer {
  bytes = new Uint8Array(256);
  length = 0;
  private grow(extra: number) {
    if (this.length + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
  byte(b: number) {
    this.grow(1);
    this.bytes[this.length++] = b;
  }
  /** Unsigned varint; arithmetic, not bit operations, so values up to 2^53 (epoch ms) fit. */
  uint(v: number) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`track block: cannot store ${v}`);
    this.grow(8);
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }
  int(v: number) {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  raw(b: Uint8Array) {
    this.grow(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
}

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError('track block: truncated');
    return this.bytes[this.at++]!;
  }
  uint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new RangeError('track block: bad number');
    }
  }
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  raw(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw new RangeError('track block: truncated');
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

const FLAG_HEADING = 1;
const FLAG_SPEED = 2;
const FLAG_ACCURACY = 4;
const FLAG_POOR = 8;

/**
 * Encodes points (rounded, ordered and de-duplicated first, see `mergeHistoryPoints`) as a
 * block's bytes, before deflate.
 *
 * @example
 * const bytes = encodeTrackBlock(points); // ≈ 4–6 bytes a point on a walking patrol's 5 s track
 */
export function encodeTrackBlock(points: readonly HistoryPoint[]): Uint8Array {
  const ps = mergeHistoryPoints(points);
  const w = new Writer();
  w.byte(VERSION);
  w.uint(ps.length);
  const devices: string[] = [];
  const deviceIndex = new Map<string, number>();
  for (const p of ps) {
    if (!deviceIndex.has(p.device)) {
      deviceIndex.set(p.device, devices.length);
      devices.push(p.device);
    }
  }
  const utf8 = new TextEncoder();
  w.uint(devices.length);
  for (const d of devices) {
    const b = utf8.encode(d);
    w.uint(b.length);
    w.raw(b);
  }
  if (ps.length === 0) return w.bytes.slice(0, w.length);
  w.uint(ps[0]!.time);
  let prevDelta = 0;
  for (let i = 1; i < ps.length; i++) {
    const delta = ps[i]!.time - ps[i - 1]!.time;
    w.int(delta - prevDelta);
    prevDelta = delta;
  }
  for (const p of ps) w.byte((p.heading !== null ? FLAG_HEADING : 0) | (p.speed !== null ? FLAG_SPEED : 0) | (p.accuracy !== null ? FLAG_ACCURACY : 0) | (p.poor ? FLAG_POOR : 0));
  for (const p of ps) w.uint(deviceIndex.get(p.device)!);
  const column = (values: Array<number | null>, scale: number) => {
    let prev = 0;
    for (const v of values) {
      if (v === null) continue;
      const n = Math.round(v * scale);
      w.int(n - prev);
      prev = n;
    }
  };
  column(ps.map((p) => p.lon), DEG);
  column(ps.map((p) => p.lat), DEG);
  column(ps.map((p) => p.heading), HEADING);
  column(ps.map((p) => p.speed), SPEED);
  column(ps.map((p) => p.accuracy), ACCURACY);
  return w.bytes.slice(0, w.length);
}

/**
 * The points of a block's bytes (after inflate), oldest first. Throws RangeError on bytes that
 * are not a block.
 *
 * @example
 * decodeTrackBlock(encodeTrackBlock(points)); // deep-equals mergeHistoryPoints(points)
 */
export function decodeTrackBlock(bytes: Uint8Array): HistoryPoint[] {
  const r = new Reader(bytes);
  const version = r.byte();
  if (version !== VERSION) throw new RangeError(`track block: unknown version ${version}`);
  const n = r.uint();
  const deviceCount = r.uint();
  const utf8 = new TextDecoder();
  const devices: string[] = [];
  for (let i = 0; i < deviceCount; i++) devices.push(utf8.decode(r.raw(r.uint())));
  if (n === 0) return [];
  const times = new Array<number>(n);
  times[0] = r.uint();
  let delta = 0;
  for (let i = 1; i < n; i++) {
    delta += r.int();
    times[i] = times[i - 1]! + delta;
  }
  const flags = new Array<number>(n);
  for (let i = 0; i < n; i++) flags[i] = r.byte();
  const device = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const d = devices[r.uint()];
    if (d === undefined) throw new RangeError('track block: bad device index');
    device[i] = d;
  }
  const column = (present: (i: number) => boolean, scale: number) => {
    const out = new Array<number | null>(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      if (!present(i)) {
        out[i] = null;
        continue;
      }
      prev += r.int();
      out[i] = prev / scale;
    }
    return out;
  };
  const lon = column(() => true, DEG);
  const lat = column(() => true, DEG);
  const heading = column((i) => (flags[i]! & FLAG_HEADING) !== 0, HEADING);
  const speed = column((i) => (flags[i]! & FLAG_SPEED) !== 0, SPEED);
  const accuracy = column((i) => (flags[i]! & FLAG_ACCURACY) !== 0, ACCURACY);
  const out: HistoryPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = { time: times[i]!, lon: lon[i]!, lat: lat[i]!, heading: heading[i]!, speed: speed[i]!, accuracy: accuracy[i]!, poor: (flags[i]! & FLAG_POOR) !== 0, device: device[i]! };
  }
  return out;
}
