/**
 * A coverage class's entry in cov:class as TypeScript reads it (the scripts' side is
 * `lua/includes/classes.lua`): what its locations need now and the instant their states were
 * settled at, and a location's state from it, with geo's deadline math.
 */
import { coverageStateAt, nextDeadline, type Requirement } from '@lianfang/geo';
import type { CoverageState } from './schemas.ts';
import { parseLastVisits } from './store.ts';

/** A class as cov:class holds it. */
export interface ClassState {
  gapMs: number;
  minAgencies: number;
  since: number;
  leadMs: number;
  /** The instant its locations' states were last settled at (states are computed at it). */
  settledAt: number;
}

/** A class outside any key period, as cov:class holds it. */
export const INACTIVE = '0,1,0,0';

/** cov:class's "gapMs,k,since,leadMs,settledAt,township"; undefined outside any key period. */
export function parseClass(value: string | null | undefined): ClassState | undefined {
  if (!value) return undefined;
  const [gapMs = 0, minAgencies = 1, since = 0, leadMs = 0, settledAt = 0] = value.split(',', 5).map(Number);
  return gapMs > 0 ? { gapMs, minAgencies, since, leadMs, settledAt } : undefined;
}

/**
 * A location's state at `t` in its class, from its latest visits ("agency:time:team;…"): geo's
 * deadline math, which the scripts' stateOf mirrors.
 */
export function stateAt(c: ClassState, last: string | null | undefined, t: number): { state: CoverageState; deadline: number; dueAt: number } {
  const due = nextDeadline(Object.fromEntries(parseLastVisits(last).map((v) => [v.agency, v.time])), c);
  return { state: coverageStateAt(t, due), ...due };
}

/**
 * What a class stores for a requirement: one that held since before the planner's look-back
 * (`sinceOpen`) keeps the since already stored when gap and agencies are the same.
 */
export function requirementString(r: Pick<Requirement, 'gapMs' | 'minAgencies' | 'since' | 'leadMs' | 'sinceOpen'>, stored: string | undefined): string {
  let since = r.since;
  if (r.sinceOpen && stored) {
    const [gapMs, minAgencies, storedSince] = stored.split(',').map(Number);
    if (gapMs === r.gapMs && minAgencies === r.minAgencies && storedSince !== undefined) since = storedSince;
  }
  return `${r.gapMs},${r.minAgencies},${since},${r.leadMs}`;
}
