import { describe, expect, it } from 'vitest';
import { nextQuarter, proposeShift, USUAL_SHIFT_MS } from '../../../web/src/lib/live/shifts.ts';

const H = 3_600_000;
const M = 60_000;
const T = Date.UTC(2026, 11, 5, 1, 0); // 09:00 in the county

describe(proposeShift.name, () => {
  it('offers a usual shift from the next quarter hour when the team has none', () => {
    expect(proposeShift([], T + 7 * M)).toEqual({ from: T + 15 * M, to: T + 15 * M + USUAL_SHIFT_MS });
    expect(proposeShift([], T)).toEqual({ from: T, to: T + 8 * H });
  });

  it("starts when the team's current shift ends, rounded up to a quarter hour", () => {
    expect(proposeShift([{ from: T - H, to: T + 3 * H + 5 * M }], T)).toEqual({ from: T + 3 * H + 15 * M, to: T + 11 * H + 15 * M });
  });

  it('skips every upcoming shift it would overlap, and takes a gap long enough', () => {
    const shifts = [
      { from: T + 14 * H, to: T + 20 * H }, // unsorted on purpose
      { from: T - H, to: T + 2 * H },
      { from: T + 4 * H, to: T + 6 * H },
    ];
    // 02:00–10:00 would hit 04:00–06:00; 06:00–14:00 fits exactly before 14:00.
    expect(proposeShift(shifts, T)).toEqual({ from: T + 6 * H, to: T + 14 * H });
    // A 9-hour shift does not fit there: after the last one.
    expect(proposeShift(shifts, T, 9 * H)).toEqual({ from: T + 20 * H, to: T + 29 * H });
  });

  it('ignores shifts already ended', () => {
    expect(proposeShift([{ from: T - 9 * H, to: T - H }], T)).toEqual({ from: T, to: T + 8 * H });
  });
});

describe(nextQuarter.name, () => {
  it('keeps a quarter hour and rounds anything else up', () => {
    expect(nextQuarter(T + 15 * M)).toBe(T + 15 * M);
    expect(nextQuarter(T + 15 * M + 1)).toBe(T + 30 * M);
  });
});
