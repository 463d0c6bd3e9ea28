/** Where a team was at a moment, from its track: what an event replay draws. */

export interface TrackFix {
  time: number;
  lon: number;
  lat: number;
}

/**
 * The position at `t` from fixes sorted by time: interpolated between the fixes either side,
 * the last fix while it is younger than `holdMs`, nothing before the first fix or after a gap.
 *
 * @example
 * positionAt([{ time: 0, lon: 0, lat: 0 }, { time: 10, lon: 1, lat: 0 }], 5); // { lon: 0.5, lat: 0 }
 */
export function positionAt(track: readonly TrackFix[], t: number, options: { holdMs?: number } = {}): { lon: number; lat: number } | undefined {
  const hold = options.holdMs ?? 300_000;
  if (track.length === 0 || t < track[0]!.time) return undefined;
  let lo = 0;
  let hi = track.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (track[mid]!.time <= t) lo = mid;
    else hi = mid - 1;
  }
  const a = track[lo]!;
  const b = track[lo + 1];
  if (!b) return t - a.time <= hold ? { lon: a.lon, lat: a.lat } : undefined;
  if (b.time - a.time > hold) return t - a.time <= hold ? { lon: a.lon, lat: a.lat } : undefined;
  const f = b.time === a.time ? 0 : (t - a.time) / (b.time - a.time);
  return { lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f };
}
