/**
 * Which action is legal from which state of an incident (事件), and why not when it is not.
 * The server checks every request against this table before it writes anything.
 */
import type { IncidentAction, IncidentState } from './types.ts';

/**
 * Each action, the states it may be taken from, and the state it leads to.
 * Dispatch again while still `dispatched` sends it to another team (before anyone accepted);
 * resolve from `new` or `escalated` is the command centre closing it without a team (a duplicate,
 * settled by phone, settled at the level it was passed to).
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentAction, { from: readonly IncidentState[]; to: IncidentState }>> = {
  dispatch: { from: ['new', 'dispatched', 'escalated'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted' },
  arrive: { from: ['accepted'], to: 'on_scene' },
  resolve: { from: ['new', 'accepted', 'on_scene', 'escalated'], to: 'resolved' },
  escalate: { from: ['new', 'dispatched', 'accepted', 'on_scene'], to: 'escalated' },
  reopen: { from: ['escalated'], to: 'new' },
};

const STATE_WORDS: Record<IncidentState, string> = {
  new: 'new',
  dispatched: 'dispatched',
  accepted: 'accepted',
  on_scene: 'on scene',
  resolved: 'resolved',
  escalated: 'escalated',
};

/** What to do instead, per action and the state it was refused in. */
function hint(action: IncidentAction, state: IncidentState): string {
  if (state === 'resolved') return 'it is closed';
  switch (action) {
    case 'dispatch':
      return 'its team has already accepted it';
    case 'accept':
      return state === 'new' || state === 'escalated' ? 'dispatch it first' : 'it is already accepted';
    case 'arrive':
      return state === 'dispatched' ? 'accept it first' : state === 'on_scene' ? 'the team is already there' : 'dispatch it first';
    case 'resolve':
      return 'its team must accept it first';
    case 'escalate':
      return 'dispatch it at its new level first';
    case 'reopen':
      return 'only an escalated incident goes back to new';
  }
}

export type TransitionCheck = { ok: true; to: IncidentState } | { ok: false; reason: string };

/**
 * May `action` be taken on an incident in `state`? The state it leads to, or a reason a
 * dispatcher or a patrol can act on.
 *
 * @example
 * checkTransition('dispatched', 'accept'); // { ok: true, to: 'accepted' }
 * checkTransition('new', 'accept'); // { ok: false, reason: 'cannot accept an incident that is new: dispatch it first' }
 */
export function checkTransition(state: IncidentState, action: IncidentAction): TransitionCheck {
  const rule = INCIDENT_TRANSITIONS[action];
  if (!rule) throw new TypeError(`checkTransition: unknown action ${String(action)}`);
  if (!(state in STATE_WORDS)) throw new TypeError(`checkTransition: unknown state ${String(state)}`);
  if (rule.from.includes(state)) return { ok: true, to: rule.to };
  return { ok: false, reason: `cannot ${action === 'arrive' ? 'arrive at' : action} an incident that is ${STATE_WORDS[state]}: ${hint(action, state)}` };
}
