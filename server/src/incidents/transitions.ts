/**
 * One step of an incident's lifecycle as data: the incident after an action (the rules are
 * geo's transition table), or 'same' for a repeat of the step just taken. Nothing is written
 * here; the service writes the result with a version check.
 */
import { checkTransition, dueStep, INCIDENT_TRANSITIONS, nextDisputeLevel, type IncidentAction, type IncidentStep, type Team } from '@lianfang/geo';
import { canManageOrganisation } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { actorName, type IncidentActor } from './access.ts';
import type { StoredIncident } from './store.ts';

export type StepBody = { teamId?: string; version?: number; note?: string; reason?: string };

/**
 * The next state of `s` after `action`, or 'same' for a repeat of what was just done. Throws
 * 400 for a missing field, 404 for an unknown team, 409 for an illegal step or a dispatch based
 * on an old version (naming who won). `team` finds a team by id.
 */
export async function nextState(
  s: StoredIncident,
  action: IncidentAction | 'acknowledge',
  actor: IncidentActor,
  body: StepBody,
  now: number,
  team: (id: string) => Promise<Team | undefined>,
): Promise<StoredIncident | 'same'> {
  const by = actorName(actor);
  const note = body.note?.trim() || null;
  const step = (event: IncidentStep['event'], state: IncidentStep['state'], extra: Partial<IncidentStep> = {}): IncidentStep => ({ event, state, by, at: now, note, ...extra });
  const next = (changes: Partial<StoredIncident>, history: IncidentStep): StoredIncident => {
    const n: StoredIncident = { ...s, ...changes, version: s.version + 1, updatedAt: now, history: [...s.history, history] };
    n.due = dueStep(n);
    return n;
  };
  const last = s.history[s.history.length - 1];

  if (action === 'acknowledge') {
    if (s.acknowledged) return 'same';
    return next({ acknowledged: { by, at: now } }, step('acknowledged', s.state));
  }

  if (action === 'dispatch') {
    if (!body.teamId) throw new HttpError(400, 'body.teamId is required', 'body.teamId');
    if (body.version === undefined) throw new HttpError(400, 'body.version is required: the version of the incident you saw', 'body.version');
    const target = await team(body.teamId);
    if (!target) throw new HttpError(404, `no team with id ${body.teamId}`, 'body.teamId');
    if (actor.kind === 'user' && !canManageOrganisation(actor.user, target.organisationId)) throw new HttpError(403, `team ${target.callSign} is not one of your organisation's`, 'body.teamId');
    const d = s.lastDispatch;
    if (s.state === 'dispatched' && s.teamId === body.teamId && d && d.by === by && d.version === body.version) return 'same';
    if (body.version !== s.version) {
      if (d && s.teamId && (s.state === 'dispatched' || s.state === 'accepted' || s.state === 'on_scene')) {
        const winner = (await team(s.teamId))?.callSign ?? s.teamId;
        throw new HttpError(409, `already dispatched to ${winner} by ${d.by}`, 'body.version', { code: 'already_dispatched' });
      }
      throw new HttpError(409, `incident ${s.id} changed since you saw it (version ${body.version}, now ${s.version}): reload it`, 'body.version', { code: 'changed_since_seen' });
    }
    const check = checkTransition(s.state, 'dispatch');
    if (!check.ok) throw new HttpError(409, check.reason, undefined, { code: 'state_changed' });
    return next({ state: 'dispatched', teamId: target.id, lastDispatch: { by, version: body.version, teamId: target.id } }, step('dispatch', 'dispatched', { teamId: target.id, note: note ?? target.callSign }));
  }

  // A repeat of the step just taken (a retry, a double tap) changes nothing.
  const to = INCIDENT_TRANSITIONS[action].to;
  if (s.state === to && last?.event === action) return 'same';
  const check = checkTransition(s.state, action);
  if (!check.ok) throw new HttpError(409, check.reason, undefined, { code: 'state_changed' });

  switch (action) {
    case 'escalate': {
      const reason = body.reason?.trim();
      if (!reason) throw new HttpError(400, 'body.reason is required: why it is passed up', 'body.reason');
      if (s.category === 'dispute') {
        const level = nextDisputeLevel(s.disputeLevel ?? 'village');
        if (!level) throw new HttpError(409, `cannot escalate a dispute at county level (三中心): it is the top of the mediation ladder`, undefined, { code: 'dispute_top_level' });
        return next({ state: 'escalated', disputeLevel: level }, step('escalate', 'escalated', { note: reason, level, teamId: s.teamId }));
      }
      return next({ state: 'escalated' }, step('escalate', 'escalated', { note: reason, teamId: s.teamId }));
    }
    case 'reopen':
      return next({ state: 'new', teamId: null }, step('reopen', 'new'));
    case 'resolve':
      return next({ state: 'resolved' }, step('resolve', 'resolved', { teamId: s.teamId, ...(s.disputeLevel ? { level: s.disputeLevel } : {}) }));
    default:
      return next({ state: check.to }, step(action, check.to, { teamId: s.teamId }));
  }
}
