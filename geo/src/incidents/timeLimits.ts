/**
 * Time limits (时限) of an incident's steps, by severity and category, measured from creation
 * (or from the latest escalation, which starts the next level's clock), and the step due next.
 * A help request (求助) must be answered "at the first moment": accepted within 5 minutes
 * whatever its severity.
 */
import type { IncidentAction, IncidentCategory, IncidentSeverity, IncidentState, IncidentStep } from './types.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The steps with a time limit, in the order they happen. */
export type TimedAction = 'dispatch' | 'accept' | 'arrive' | 'resolve';

/** Milliseconds from the start of the clock by which each step must be done. */
export type StepLimits = Readonly<Record<TimedAction, number>>;

export const SEVERITY_LIMITS: Readonly<Record<IncidentSeverity, StepLimits>> = {
  1: { dispatch: 2 * MIN, accept: 5 * MIN, arrive: 15 * MIN, resolve: 2 * HOUR },
  2: { dispatch: 5 * MIN, accept: 10 * MIN, arrive: 30 * MIN, resolve: 8 * HOUR },
  3: { dispatch: 15 * MIN, accept: 30 * MIN, arrive: 120 * MIN, resolve: 72 * HOUR },
};

/** A help request is accepted within this long, whatever its severity. */
export const HELP_ACCEPT_MS = 5 * MIN;

const DEFAULT_SEVERITY: Readonly<Record<IncidentCategory, IncidentSeverity>> = {
  help: 1,
  dispute: 3,
  public_order: 2,
  suspicious_person: 2,
  safety_hazard: 2,
  traffic: 2,
  mass_gathering: 2,
  other: 2,
};

/**
 * The severity an incident gets when the reporter gave none.
 *
 * @example
 * defaultSeverity('help'); // 1
 */
export function defaultSeverity(category: IncidentCategory): IncidentSeverity {
  const s = DEFAULT_SEVERITY[category];
  if (s === undefined) throw new TypeError(`defaultSeverity: unknown category ${String(category)}`);
  return s;
}

/**
 * The limits of each step for a category and severity. No step's limit exceeds a later one's
 * (a help request's dispatch limit shrinks with its accept limit).
 *
 * @example
 * stepLimits('help', 3).accept; // 300000
 */
export function stepLimits(category: IncidentCategory, severity: IncidentSeverity): StepLimits {
  const base = SEVERITY_LIMITS[severity];
  if (!base) throw new TypeError(`stepLimits: unknown severity ${String(severity)}`);
  if (category !== 'help') return base;
  const accept = Math.min(base.accept, HELP_ACCEPT_MS);
  return { ...base, dispatch: Math.min(base.dispatch, accept), accept };
}

/** The step each state waits for. */
export const NEXT_ACTION: Readonly<Record<IncidentState, TimedAction | null>> = {
  new: 'dispatch',
  escalated: 'dispatch',
  dispatched: 'accept',
  accepted: 'arrive',
  on_scene: 'resolve',
  resolved: null,
};

export interface DueInput {
  category: IncidentCategory;
  severity: IncidentSeverity;
  state: IncidentState;
  createdAt: number;
  history: readonly Pick<IncidentStep, 'event' | 'at'>[];
}

/**
 * The next step and the time it must be done by; null once resolved. The clock starts at
 * creation, or at the latest escalation (the next level starts afresh).
 *
 * @example
 * dueStep({ category: 'help', severity: 1, state: 'dispatched', createdAt: 0, history: [] });
 * // { action: 'accept', at: 300000 }
 */
export function dueStep(incident: DueInput): { action: IncidentAction; at: number } | null {
  const action = NEXT_ACTION[incident.state];
  if (action === undefined) throw new TypeError(`dueStep: unknown state ${String(incident.state)}`);
  if (action === null) return null;
  let start = incident.createdAt;
  for (const step of incident.history) if (step.event === 'escalate' && step.at > start) start = step.at;
  return { action, at: start + stepLimits(incident.category, incident.severity)[action] };
}
