/**
 * The incident panel's rules as plain functions (事件/警情): which of two copies is newer, the
 * order of the list, what is late, what pulses, the panel's filters and search, and who may do
 * what (the server checks again; these only decide which buttons to offer).
 */
import type { IncidentAction, IncidentCategory, IncidentState } from '@lianfang/geo';
import type { IncidentView, SessionUser } from '@lianfang/server/api';

/** Whether `incoming` should replace `held`: every change bumps `version`. */
export function isNewerIncident(incoming: IncidentView, held: IncidentView | undefined): boolean {
  if (!held) return true;
  return incoming.version > held.version || (incoming.version === held.version && incoming.updatedAt > held.updatedAt);
}

/** Newest first (by when it was reported), then by id so the order is stable. */
export function compareIncidents(a: IncidentView, b: IncidentView): number {
  return b.createdAt - a.createdAt || a.id.localeCompare(b.id, 'en', { numeric: true });
}

export function isOpen(incident: IncidentView): boolean {
  return incident.state !== 'resolved';
}

/** Its next step's time limit has passed (超时). */
export function isLate(incident: IncidentView, now: number): boolean {
  return incident.state !== 'resolved' && incident.due !== null && incident.due.at <= now;
}

/** New and nobody on the command map has acknowledged it: its marker pulses. */
export function pulses(incident: IncidentView): boolean {
  return incident.state === 'new' && incident.acknowledged === null;
}

/** What the panel's filters ask for. `state` 'open' is every state but resolved. */
export interface IncidentFilter {
  state: 'open' | 'all' | IncidentState;
  category: IncidentCategory | null;
  townshipId: string | null;
  /** Reported at or after, epoch ms. */
  from: number | null;
  /** Reported before, epoch ms. */
  to: number | null;
  /** Free text: reference, description, address. */
  q: string;
}

export const NO_FILTER: IncidentFilter = { state: 'open', category: null, townshipId: null, from: null, to: null, q: '' };

/**
 * The panel's list, as filtered, as a spreadsheet to download (GET /api/incidents/export):
 * the same state, category, township, time and search, in the screen's language.
 */
export function exportUrl(filter: IncidentFilter, format: 'xlsx' | 'csv', lang: 'zh' | 'en'): string {
  const q = new URLSearchParams({ format, lang });
  if (filter.state !== 'all') q.set('state', filter.state);
  if (filter.category) q.set('category', filter.category);
  if (filter.townshipId) q.set('townshipId', filter.townshipId);
  if (filter.from !== null) q.set('from', String(Math.floor(filter.from)));
  if (filter.to !== null) q.set('to', String(Math.floor(filter.to)));
  if (filter.q.trim()) q.set('q', filter.q.trim());
  return `/api/incidents/export?${q}`;
}

/** Reference (case-insensitive), description or address contains every word of `q`. */
export function matchesSearch(incident: IncidentView, q: string): boolean {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [incident.reference, incident.description, incident.address ?? ''].join('\n').toLowerCase();
  return words.every((word) => text.includes(word));
}

export function matchesFilter(incident: IncidentView, filter: IncidentFilter): boolean {
  if (filter.state === 'open' ? !isOpen(incident) : filter.state !== 'all' && incident.state !== filter.state) return false;
  if (filter.category && incident.category !== filter.category) return false;
  if (filter.townshipId && incident.townshipId !== filter.townshipId) return false;
  if (filter.from !== null && incident.createdAt < filter.from) return false;
  if (filter.to !== null && incident.createdAt >= filter.to) return false;
  return matchesSearch(incident, filter.q);
}

/**
 * The states each action is legal from: geo's INCIDENT_TRANSITIONS, copied because the web takes
 * only types from the other packages. The server is the authority (an illegal request answers
 * 409); this only keeps pointless buttons away.
 */
export const ACTION_FROM: Record<IncidentAction, readonly IncidentState[]> = {
  dispatch: ['new', 'dispatched', 'escalated'],
  accept: ['dispatched'],
  arrive: ['accepted'],
  resolve: ['new', 'accepted', 'on_scene', 'escalated'],
  escalate: ['new', 'dispatched', 'accepted', 'on_scene'],
  reopen: ['escalated'],
};

const COMMAND = (user: SessionUser | null) => user?.role === 'admin' || user?.role === 'dispatcher';
/** Roles that handle incidents on the map; a coordinator only in its area (the server tells). */
const HANDLERS = (user: SessionUser | null) => COMMAND(user) || user?.role === 'coordinator';

/** 确认 (stop the pulse): dispatchers, admins, coordinators (their area); leaders never. */
export function canAcknowledge(user: SessionUser | null, incident: IncidentView): boolean {
  return HANDLERS(user) && incident.acknowledged === null && isOpen(incident);
}

/** 派警 (or send another team before the first accepts): the user may send one. */
export function canDispatch(user: SessionUser | null, incident: IncidentView): boolean {
  return HANDLERS(user) && ACTION_FROM.dispatch.includes(incident.state);
}

/** May `user` send a team of `teamOrganisationId`? Dispatchers and admins any; coordinators their own. */
export function canSendTeam(user: SessionUser | null, teamOrganisationId: string | undefined): boolean {
  if (COMMAND(user)) return true;
  return user?.role === 'coordinator' && user.organisationId !== null && teamOrganisationId === user.organisationId;
}

/** 上报: anything being handled; a dispute only until it reaches the county's three centres. */
export function canEscalate(user: SessionUser | null, incident: IncidentView): boolean {
  if (!HANDLERS(user) || !ACTION_FROM.escalate.includes(incident.state)) return false;
  return incident.category !== 'dispute' || incident.disputeLevel !== 'county';
}

/** 重新派警: an escalated incident back to new, by the command centre. */
export function canReopen(user: SessionUser | null, incident: IncidentView): boolean {
  return COMMAND(user) && incident.state === 'escalated';
}

/** 代为接警 / 到场 / 办结 on a team's behalf (a radio call): the command centre. */
export function canStepForTeam(user: SessionUser | null, incident: IncidentView, action: 'accept' | 'arrive' | 'resolve'): boolean {
  return COMMAND(user) && ACTION_FROM[action].includes(incident.state);
}

/** May `user` take reports on the map (新建事件)? */
export function canCreate(user: SessionUser | null): boolean {
  return HANDLERS(user);
}

/**
 * Who won a dispatch race, from the incident as it is now: "已由 X 派出 Y" needs the latest
 * dispatch step (by whom, which team).
 */
export function lastDispatch(incident: IncidentView): { by: string; teamId: string | null; at: number } | null {
  for (let i = incident.history.length - 1; i >= 0; i--) {
    const step = incident.history[i]!;
    if (step.event === 'dispatch') return { by: step.by, teamId: step.teamId ?? null, at: step.at };
  }
  return null;
}

/** A client id for POST /api/incidents: a retry of the same report never makes two. */
export function newIncidentId(): string {
  return crypto.randomUUID();
}

/** Where a new incident happened, WGS-84, and how to name the place (a search result, a grid). */
export interface IntakePoint {
  lon: number;
  lat: number;
  /** The area it lies in, as the form shows it ("township · grid"). */
  label: string | null;
  /** A place name to prefill the address with (a search result: a key location, a village). */
  address?: string | null;
}
