/**
 * One step of an incident's lifecycle as data: the incident after an action (the rules are
 * geo's transition table), or 'same' for a repeat of the step just taken. Nothing is written
 * here; the service writes the result with a version check.
 */
import { checkTransition, dueStep, INCIDENT_TRANSITIONS, nextDisputeLevel, roomMismatch, type IncidentAction, type IncidentStep, type MediationOutcome, type MediationRecord, type MediationRoom, type Team } from '@lianfang/geo';
import { canManageOrganisation } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { actorName, type IncidentActor } from './access.ts';
import type { StoredIncident } from './store.ts';

export type StepBody = {
  teamId?: string;
  version?: number;
  note?: string;
  reason?: string;
  /** Disputes' resolve and escalate: the mediation record (roomId, mediator, outcome, agreement). */
  roomId?: string;
  mediator?: string;
  outcome?: MediationOutcome;
  agreement?: string;
};

/** Finds a mediation room by id. */
export type RoomLookup = (id: string) => Promise<MediationRoom | undefined>;

/**
 * The mediation record a dispute's resolve or escalate step carries, or undefined when the body
 * names none. The room's level must be the dispute's level now (the level it is passed up from),
 * and a township's room mediates only that township's disputes: 400 naming the field otherwise.
 */
async function mediationRecord(s: StoredIncident, action: 'resolve' | 'escalate', body: StepBody, room: RoomLookup): Promise<MediationRecord | undefined> {
  const any = body.roomId !== undefined || body.mediator !== undefined || body.outcome !== undefined || body.agreement !== undefined;
  if (!any) return undefined;
  if (s.category !== 'dispute') throw new HttpError(400, 'only a dispute records a mediation room', 'body.roomId', { code: 'invalid' });
  const roomId = body.roomId?.trim();
  if (!roomId) throw new HttpError(400, 'body.roomId is required: the room that mediated', 'body.roomId', { code: 'required' });
  const mediator = body.mediator?.trim();
  if (!mediator) throw new HttpError(400, 'body.mediator is required: who mediated', 'body.mediator', { code: 'required' });
  const r = await room(roomId);
  if (!r) throw new HttpError(400, `body.roomId names no mediation room: ${roomId}`, 'body.roomId', { code: 'unknown_room' });
  const level = s.disputeLevel ?? 'village';
  const mismatch = roomMismatch(r, level, s.townshipId);
  if (mismatch === 'wrong_level') throw new HttpError(400, `room ${r.name} mediates at ${r.level} level; the dispute is at ${level} level`, 'body.roomId', { code: 'room_wrong_level', params: { room: r.name, level } });
  if (mismatch === 'wrong_township') throw new HttpError(400, `room ${r.name} belongs to another township`, 'body.roomId', { code: 'room_wrong_township', params: { room: r.name } });
  const outcome = body.outcome ?? (action === 'escalate' ? 'passed_up' : 'settled');
  if ((action === 'escalate') !== (outcome === 'passed_up')) throw new HttpError(400, action === 'escalate' ? 'a dispute passed up has the outcome passed_up' : 'a resolved dispute is settled, not_settled or withdrawn', 'body.outcome', { code: 'invalid' });
  return { roomId: r.id, room: r.name, mediator, outcome, agreement: body.agreement?.trim() || null };
}

/**
 * The next state of `s` after `action`, or 'same' for a repeat of what was just done. Throws
 * 400 for a missing field, 404 for an unknown team, 409 for an illegal step or a dispatch based
 * on an old version (naming who won). `team` finds a team by id, `room` a mediation room.
 */
export async function nextState(
  s: StoredIncident,
  action: IncidentAction | 'acknowledge',
  actor: IncidentActor,
  body: StepBody,
  now: number,
  team: (id: string) => Promise<Team | undefined>,
  room: RoomLookup = async () => undefined,
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
        const mediation = await mediationRecord(s, 'escalate', body, room);
        return next({ state: 'escalated', disputeLevel: level }, step('escalate', 'escalated', { note: reason, level, teamId: s.teamId, ...(mediation ? { mediation } : {}) }));
      }
      await mediationRecord(s, 'escalate', body, room); // refuses mediation fields on anything but a dispute
      return next({ state: 'escalated' }, step('escalate', 'escalated', { note: reason, teamId: s.teamId }));
    }
    case 'reopen':
      return next({ state: 'new', teamId: null }, step('reopen', 'new'));
    case 'resolve': {
      const mediation = await mediationRecord(s, 'resolve', body, room);
      return next({ state: 'resolved' }, step('resolve', 'resolved', { teamId: s.teamId, ...(s.disputeLevel ? { level: s.disputeLevel } : {}), ...(mediation ? { mediation } : {}) }));
    }
    default:
      return next({ state: check.to }, step(action, check.to, { teamId: s.teamId }));
  }
}
