/**
 * The colour of a key location at a moment.
 */
import type { CoverageState } from './types.ts';

/**
 * `uncovered` after the deadline, `due_soon` from the due instant on (never with no lead time:
 * due instant = deadline), `covered` before; `inactive` without a deadline (no key period applies).
 *
 * @example
 * coverageStateAt(100, { deadline: 100, dueAt: 80 }); // 'due_soon' (at the deadline is still in time)
 * coverageStateAt(101, { deadline: 100, dueAt: 80 }); // 'uncovered'
 */
export function coverageStateAt(now: number, due: { deadline: number; dueAt: number } | null): CoverageState {
  if (!due) return 'inactive';
  if (now > due.deadline) return 'uncovered';
  if (due.dueAt < due.deadline && now >= due.dueAt) return 'due_soon';
  return 'covered';
}
