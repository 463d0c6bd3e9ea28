/** A post's staffing over an event's window, from the changes recorded while it ran. */
import type { PostState } from './types.ts';

export interface StaffingChange {
  postId: string;
  at: number;
  state: PostState;
  count: number;
}

export interface StaffingSpan {
  from: number;
  to: number;
  state: PostState;
  count: number;
}

export interface PostStaffingReport {
  postId: string;
  spans: StaffingSpan[];
  /** Share of the window the post was staffed, 0–1. */
  staffedShare: number;
}

/**
 * Cuts [start, end) into spans per post from its recorded changes (oldest first or not): before
 * the first change a post counts as short with nobody.
 *
 * @example
 * staffingSpans(['P1'], [{ postId: 'P1', at: 30, state: 'staffed', count: 1 }], 0, 100);
 * // [{ postId: 'P1', spans: [{ from: 0, to: 30, state: 'short', count: 0 }, { from: 30, to: 100, state: 'staffed', count: 1 }], staffedShare: 0.7 }]
 */
export function staffingSpans(postIds: readonly string[], changes: readonly StaffingChange[], start: number, end: number): PostStaffingReport[] {
  if (!(end > start)) throw new RangeError(`staffingSpans: end ${end} must be after start ${start}`);
  const sorted = [...changes].sort((a, b) => a.at - b.at);
  return postIds.map((postId) => {
    const spans: StaffingSpan[] = [];
    let cur: StaffingSpan = { from: start, to: end, state: 'short', count: 0 };
    for (const c of sorted) {
      if (c.postId !== postId || c.at >= end) continue;
      const at = Math.max(start, c.at);
      if (at > cur.from) spans.push({ ...cur, to: at });
      cur = { from: at, to: end, state: c.state, count: c.count };
    }
    spans.push(cur);
    const staffed = spans.filter((s) => s.state === 'staffed').reduce((sum, s) => sum + (s.to - s.from), 0);
    return { postId, spans, staffedShare: staffed / (end - start) };
  });
}
