/**
 * Collects the errors and warnings of one import, keeping the first 1,000 of each so a broken
 * 100,000-row file gives a readable answer, and counting the rest.
 */
import type { ValidationIssue, ValidationResult } from '../types.ts';

/** How many errors (and, separately, warnings) are kept. */
export const ISSUE_CAP = 1000;

export interface IssueLog {
  error(issue: ValidationIssue): void;
  warn(issue: ValidationIssue): void;
  readonly errorCount: number;
  /** All items when there was no error, else the (capped) errors. */
  result<T>(items: T[]): ValidationResult<T>;
}

/**
 * Creates an empty log.
 *
 * @example
 * const log = createIssueLog();
 * log.error({ index: 3, field: 'geometry', reason: 'ring is not closed' });
 * log.result([]); // { ok: false, errors: [ … ] }
 */
export function createIssueLog(cap = ISSUE_CAP): IssueLog {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const more = (count: number, what: string): ValidationIssue => ({ index: -1, reason: `… and ${count - cap} more ${what} not listed` });
  return {
    error(issue) {
      if (errorCount++ < cap) errors.push(issue);
    },
    warn(issue) {
      if (warningCount++ < cap) warnings.push(issue);
    },
    get errorCount() {
      return errorCount;
    },
    result<T>(items: T[]): ValidationResult<T> {
      if (errorCount > 0) return { ok: false, errors: errorCount > cap ? [...errors, more(errorCount, 'errors')] : errors };
      return { ok: true, items, warnings: warningCount > cap ? [...warnings, more(warningCount, 'warnings')] : warnings };
    },
  };
}
