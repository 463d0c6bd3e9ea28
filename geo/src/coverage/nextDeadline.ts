/**
 * Deadline math: when a location becomes uncovered unless visited again.
 */
import type { LastVisits, Requirement } from './types.ts';

/**
 * The deadline and the "due soon" instant for a location with these latest visits per
 * agency. With `minAgencies` k, the deadline runs from the k-th most recent agency's last
 * visit (the window must hold k different agencies); never earlier than since + gap. A visit
 * exactly at the deadline still counts: the location is uncovered only after it.
 *
 * @example
 * nextDeadline({ police: 1_000, security: 5_000 }, { gapMs: 60_000, minAgencies: 2, since: 0, leadMs: 12_000, … });
 * // { deadline: 61_000, dueAt: 49_000 }
 */
export function nextDeadline(last: LastVisits, requirement: Pick<Requirement, 'gapMs' | 'minAgencies' | 'since' | 'leadMs'>): { deadline: number; dueAt: number } {
  const times = Object.values(last)
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => b - a);
  const kth = times[Math.max(1, requirement.minAgencies) - 1];
  const base = kth !== undefined && kth > requirement.since ? kth : requirement.since;
  const deadline = base + requirement.gapMs;
  return { deadline, dueAt: deadline - requirement.leadMs };
}
