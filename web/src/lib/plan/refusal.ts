/**
 * A refusal of the plan API, kept as the server's problem (so it is worded again when the
 * language changes) with the field it is about, as the forms name their inputs: `end`,
 * `hours.start`, `scope.gridIds` (the server's `body.` or `querystring.` taken off).
 */
import { problemOf } from '$lib/api';
import type { Problem } from '$lib/problem';

export interface PlanRefusal {
  /** The form's field, or null for the form as a whole. */
  field: string | null;
  problem: Problem;
}

export function refusalOf(err: unknown): PlanRefusal {
  const problem = problemOf(err);
  const field = problem.field ? problem.field.replace(/^(body|querystring|query|params)\./, '').replace(/\.\d+$/, '') : null;
  return { field: field || null, problem };
}

/** Whether the refusal is about `field` (or one of its parts: `hours` takes `hours.start`). */
export function isAbout(refusal: PlanRefusal | null, field: string): boolean {
  return refusal?.field === field || (refusal?.field?.startsWith(`${field}.`) ?? false);
}
