/**
 * GET /api/coverage's picture from what Redis holds: every location's state and deadline at its
 * class's settledAt, counts per township and grid, the periods on now. Pure: the engine reads
 * the hashes and the plan, this puts them together.
 */
import type { CoveragePlan, KeyPeriod } from '@lianfang/geo';
import type { Places } from '../geography/readModel.ts';
import type { ActivePeriod, CoverageCounts, CoverageSnapshot, CoverageState } from './schemas.ts';
import { parseClass, stateAt, type ClassState } from './classState.ts';

export const emptyCounts = (): CoverageCounts => ({ covered: 0, due_soon: 0, uncovered: 0, inactive: 0 });

export interface SnapshotInput {
  plan: CoveragePlan;
  periods: KeyPeriod[];
  places: Places;
  /** Location id → class id. */
  classOf: ReadonlyMap<string, string>;
  /** cov:class and cov:last, whole. */
  classes: Record<string, string>;
  last: Record<string, string>;
  now: number;
}

export function coverageSnapshot({ plan, periods, places, classOf, classes, last, now }: SnapshotInput): CoverageSnapshot {
  const states: Record<string, CoverageState> = {};
  const deadlines: Record<string, number> = {};
  const dueAt: Record<string, number> = {};
  const townships: Record<string, CoverageCounts> = {};
  const grids: Record<string, CoverageCounts> = {};
  const totals = emptyCounts();
  const parsed = new Map<string, ClassState | undefined>();
  for (const [id, location] of places.locations) {
    const classId = classOf.get(id)!;
    let c = parsed.get(classId);
    if (!parsed.has(classId)) parsed.set(classId, (c = parseClass(classes[classId])));
    const s = c ? stateAt(c, last[id], c.settledAt) : undefined;
    const state: CoverageState = s?.state ?? 'inactive';
    states[id] = state;
    if (s) {
      deadlines[id] = s.deadline;
      dueAt[id] = s.dueAt;
    }
    totals[state]++;
    if (location.townshipId) (townships[location.townshipId] ??= emptyCounts())[state]++;
    if (location.gridId) (grids[location.gridId] ??= emptyCounts())[state]++;
  }
  return { at: now, states, deadlines, dueAt, townships, grids, totals, activePeriods: activePeriods(periods, plan, now), warnings: plan.warnings, nextChange: Number.isFinite(plan.nextChange) ? plan.nextChange : null };
}

/** Periods on at `now` (among those rules use), with their current stretch. */
export function activePeriods(periods: KeyPeriod[], plan: CoveragePlan, now: number): ActivePeriod[] {
  const byId = new Map(periods.map((p) => [p.id, p]));
  const out: ActivePeriod[] = [];
  for (const i of plan.intervals) {
    const p = byId.get(i.periodId);
    if (p && i.start <= now && now < i.end) out.push({ id: p.id, name: p.name, kind: p.kind, start: i.start, end: i.end });
  }
  return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}
