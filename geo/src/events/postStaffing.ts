/** Who stands at each post of a major event now, and whether the post is staffed. */
import { distanceMetres } from '../distanceMetres.ts';
import type { EventPost, PostState, TeamFix } from './types.ts';

export interface PostStaffing {
  postId: string;
  /** Teams at the post, sorted: by a fix within its radius, or by a check-in there since their latest fix. */
  present: string[];
  state: PostState;
}

export interface StaffingOptions {
  /** Fixes and check-ins before this (the event's start) do not count. */
  since: number;
  /** Fixes older than this, ms before `now`, do not place a team anywhere (a phone gone quiet). */
  staleAfterMs: number;
  now: number;
}

/**
 * Each post's teams present and state. A team stands at a post when its latest fix (taken
 * since the event began and not stale) lies within the post's radius, or when it checked in at
 * the post after its latest fix (a check-in is a fresher word than the fix before it). A team is
 * counted at one post at most: the nearest of those it stands at.
 *
 * @example
 * postStaffing([post], [{ teamId: 't1', lon: 118.62, lat: 33.85, time: now }], new Map(), { since: start, staleAfterMs: 600_000, now });
 * // [{ postId: 'P1', present: ['t1'], state: 'staffed' }]
 */
export function postStaffing(posts: readonly EventPost[], fixes: readonly TeamFix[], checkIns: ReadonlyMap<string, { postId: string; time: number }>, options: StaffingOptions): PostStaffing[] {
  const at = new Map<string, string[]>(posts.map((p) => [p.id, []]));
  const fixOf = new Map(fixes.map((f) => [f.teamId, f]));
  const teams = new Set([...fixOf.keys(), ...checkIns.keys()]);
  for (const teamId of teams) {
    const fix = fixOf.get(teamId);
    const checkIn = checkIns.get(teamId);
    const fixCounts = fix !== undefined && fix.time >= options.since && options.now - fix.time <= options.staleAfterMs;
    if (checkIn && checkIn.time >= options.since && (!fix || checkIn.time >= fix.time) && at.has(checkIn.postId)) {
      at.get(checkIn.postId)!.push(teamId);
      continue;
    }
    if (!fixCounts) continue;
    let best: { id: string; d: number } | undefined;
    for (const p of posts) {
      const d = distanceMetres(fix.lon, fix.lat, p.lon, p.lat);
      if (d <= p.radius && (!best || d < best.d)) best = { id: p.id, d };
    }
    if (best) at.get(best.id)!.push(teamId);
  }
  return posts.map((p) => {
    const present = at.get(p.id)!.sort();
    return { postId: p.id, present, state: present.length >= p.headcount ? 'staffed' : 'short' };
  });
}
