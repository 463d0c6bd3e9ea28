/**
 * How the coverage picture changes: the snapshot and `coverage:changed` deltas folded into a map
 * keyed by location id, and the counts the map shows per township. Plain functions, no Svelte.
 */
import type { CoverageCounts, CoverageSnapshot, CoverageState, LocationCoverageChange } from '@lianfang/server/api';

/** One key location's coverage (重点部位覆盖状态). */
export interface LocationCoverage {
  state: CoverageState;
  /** Uncovered after this, epoch ms; null outside key periods. */
  deadline: number | null;
  /** Due soon (即将超时) from this, epoch ms. */
  dueAt: number | null;
}

export function emptyCounts(): CoverageCounts {
  return { covered: 0, due_soon: 0, uncovered: 0, inactive: 0 };
}

export function fromSnapshot(snapshot: CoverageSnapshot): Map<string, LocationCoverage> {
  const states = new Map<string, LocationCoverage>();
  for (const [id, state] of Object.entries(snapshot.states)) {
    states.set(id, { state, deadline: snapshot.deadlines[id] ?? null, dueAt: snapshot.dueAt[id] ?? null });
  }
  return states;
}

/** Replaces each changed location's state (a delta carries the whole new state); true when any differed. */
export function applyChanges(states: Map<string, LocationCoverage>, changes: readonly LocationCoverageChange[]): boolean {
  let changed = false;
  for (const { id, state, deadline, dueAt } of changes) {
    const held = states.get(id);
    if (held && held.state === state && held.deadline === deadline && held.dueAt === dueAt) continue;
    states.set(id, { state, deadline, dueAt });
    changed = true;
  }
  return changed;
}

/** Counts per township (and the county's totals) from the states and each location's township. */
export function countByTownship(
  states: ReadonlyMap<string, LocationCoverage>,
  townshipOf: ReadonlyMap<string, string | null>,
): { townships: Map<string, CoverageCounts>; totals: CoverageCounts } {
  const townships = new Map<string, CoverageCounts>();
  const totals = emptyCounts();
  for (const [id, { state }] of states) {
    totals[state]++;
    const township = townshipOf.get(id);
    if (!township) continue;
    let counts = townships.get(township);
    if (!counts) townships.set(township, (counts = emptyCounts()));
    counts[state]++;
  }
  return { townships, totals };
}

/** The townships with the most uncovered key locations, most first, for the coverage card. */
export function mostUncovered(
  uncovered: ReadonlyMap<string, number>,
  name: (townshipId: string) => string,
  limit = 8,
): { id: string; count: number; name: string }[] {
  return [...uncovered]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id, count]) => ({ id, count, name: name(id) }));
}
