/**
 * The dispute mediation ladder (矛盾纠纷调处): village three rooms 三室 → township two centres
 * 两中心 → county three centres 三中心, and the county's figures per level: cases that reached
 * it, cases settled there, the success rate.
 */
import { DISPUTE_LEVELS, type DisputeLevel, type IncidentCategory, type IncidentState, type IncidentStep } from './types.ts';

/**
 * The level a dispute climbs to when passed up, or null at county level (the top).
 *
 * @example
 * nextDisputeLevel('village'); // 'township'
 * nextDisputeLevel('county'); // null
 */
export function nextDisputeLevel(level: DisputeLevel): DisputeLevel | null {
  const i = DISPUTE_LEVELS.indexOf(level);
  if (i < 0) throw new TypeError(`nextDisputeLevel: unknown level ${String(level)}`);
  return DISPUTE_LEVELS[i + 1] ?? null;
}

export interface DisputeLevelStats {
  level: DisputeLevel;
  /** Disputes that reached this level within the window. */
  cases: number;
  /** Of those, settled (resolved) at this level. */
  settled: number;
  /** settled / cases; null with no cases. */
  successRate: number | null;
}

export interface DisputeRecord {
  category: IncidentCategory;
  state: IncidentState;
  createdAt: number;
  disputeLevel: DisputeLevel | null;
  history: readonly Pick<IncidentStep, 'event' | 'at' | 'level'>[];
}

/**
 * Figures per level for the disputes that reached each level in [from, to): a dispute reaches
 * the village level when it is reported and a higher one when it is passed up; it counts as
 * settled at the level it was resolved at. Other categories are ignored.
 *
 * @example
 * disputeStats(incidents, { from: 0, to: Date.now() });
 * // [{ level: 'village', cases: 12, settled: 9, successRate: 0.75 }, …]
 */
export function disputeStats(incidents: readonly DisputeRecord[], window: { from: number; to: number }): DisputeLevelStats[] {
  if (!(window.from <= window.to)) throw new RangeError('disputeStats: from must not be after to');
  const rows = new Map<DisputeLevel, DisputeLevelStats>(DISPUTE_LEVELS.map((level) => [level, { level, cases: 0, settled: 0, successRate: null }]));
  const inWindow = (t: number) => t >= window.from && t < window.to;
  for (const incident of incidents) {
    if (incident.category !== 'dispute') continue;
    const reached = new Map<DisputeLevel, number>([['village', incident.createdAt]]);
    for (const step of incident.history) if (step.event === 'escalate' && step.level) reached.set(step.level, step.at);
    for (const [level, at] of reached) {
      if (!inWindow(at)) continue;
      const row = rows.get(level)!;
      row.cases++;
      if (incident.state === 'resolved' && incident.disputeLevel === level) row.settled++;
    }
  }
  return [...rows.values()].map((r) => ({ ...r, successRate: r.cases > 0 ? r.settled / r.cases : null }));
}
