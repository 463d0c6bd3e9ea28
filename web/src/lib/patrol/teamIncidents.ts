/**
 * Incidents (警情) on the patrol page, without the browser: which are open for the team, the
 * one next step each state offers, the state once the queued steps are through, merging socket
 * changes, and which way and how far the scene is. Plain functions, so unit tests need no browser.
 */
import type { Problem } from '../problem';
import type { IncidentCategory, IncidentState } from '@lianfang/geo';
import type { IncidentsBatch } from '@lianfang/server/events';
import { distanceMetres } from './geo';
import type { IncidentReportPayload, IncidentStepPayload } from './queue';

export type IncidentView = IncidentsBatch['incidents'][number];
export type PatrolAction = IncidentStepPayload['action'];

/** What a patrol reports, in the order it sees them most (the domain's list, types only: the web bundles no geo code). */
export const REPORT_CATEGORIES = [
  'public_order',
  'suspicious_person',
  'dispute',
  'safety_hazard',
  'traffic',
  'mass_gathering',
  'help',
  'other',
] as const satisfies readonly IncidentCategory[];

/** States in which an incident is the team's to work on. */
export const OPEN_FOR_PATROL: readonly IncidentState[] = ['dispatched', 'accepted', 'on_scene'];

/** The way forward from each open state: 接警 → 到场 → 办结. */
const FORWARD: Partial<Record<IncidentState, PatrolAction>> = { dispatched: 'accept', accepted: 'arrive', on_scene: 'resolve' };

const RESULT: Record<PatrolAction, IncidentState> = { accept: 'accepted', arrive: 'on_scene', resolve: 'resolved', escalate: 'escalated' };

/** The step forward from `state`, and whether it may be passed up (上报) from there. */
export function nextSteps(state: IncidentState): { forward: PatrolAction | null; escalate: boolean } {
  return { forward: FORWARD[state] ?? null, escalate: OPEN_FOR_PATROL.includes(state) };
}

/** The state after `steps` (queued, not yet answered) are taken from `state`; a step that doesn't fit is skipped. */
export function stateAfter(state: IncidentState, steps: readonly PatrolAction[]): IncidentState {
  let now = state;
  for (const action of steps) {
    const { forward, escalate } = nextSteps(now);
    if (action === forward || (action === 'escalate' && escalate)) now = RESULT[action];
  }
  return now;
}

export interface IncidentList {
  /** Open incidents of the team, most urgent and then oldest first. */
  open: IncidentView[];
  /** Closed (resolved, passed up) or sent to another team while on this page: shown until the patrol dismisses them. */
  closed: IncidentView[];
  /** Ids that arrived newly dispatched: the visual alert, until accepted or looked at. */
  arrived: string[];
}

export const EMPTY_LIST: IncidentList = { open: [], closed: [], arrived: [] };

/** Incidents `after` flags newly dispatched that `before` did not: each rings the phone once. */
export function newlyArrived(before: IncidentList, after: IncidentList): string[] {
  const held = new Set(before.arrived);
  return after.arrived.filter((id) => !held.has(id));
}

function order(a: IncidentView, b: IncidentView): number {
  return a.severity - b.severity || a.createdAt - b.createdAt;
}

/**
 * Applies incidents as the server sent them (a socket batch, an ack): a newer version replaces
 * the one held; an incident open for `teamId` is listed; one that closes or is sent to another
 * team leaves the list for `closed`. A `snapshot` replaces the open list.
 */
export function applyIncidents(list: IncidentList, incoming: readonly IncidentView[], teamId: string | null, snapshot = false): IncidentList {
  const held = new Map(list.open.map((i) => [i.id, i]));
  const open = new Map(snapshot ? [] : held);
  const closed = new Map(list.closed.map((i) => [i.id, i]));
  const arrived = new Set(list.arrived);
  for (const incident of incoming) {
    const before = held.get(incident.id) ?? closed.get(incident.id);
    if (before && before.version > incident.version) {
      if (snapshot && held.has(incident.id)) open.set(incident.id, before);
      continue;
    }
    const ours = teamId === null || incident.teamId === teamId;
    if (ours && OPEN_FOR_PATROL.includes(incident.state)) {
      open.set(incident.id, incident);
      closed.delete(incident.id);
      if (incident.state === 'dispatched' && (!held.has(incident.id) || held.get(incident.id)!.state !== 'dispatched')) arrived.add(incident.id);
      if (incident.state !== 'dispatched') arrived.delete(incident.id);
      continue;
    }
    open.delete(incident.id);
    arrived.delete(incident.id);
    // Closed, or sent to another team, while the patrol had it on screen: say so until dismissed.
    if (held.has(incident.id) && (!ours || incident.state === 'resolved' || incident.state === 'escalated')) closed.set(incident.id, incident);
  }
  for (const id of arrived) if (!open.has(id)) arrived.delete(id);
  return { open: [...open.values()].sort(order), closed: [...closed.values()], arrived: [...arrived] };
}

/** Why the server refused a step or report, as the patrol needs to hear it. */
export type Refusal = 'not-ours' | 'state-changed' | 'no-position' | 'other';

/**
 * Sorts an ack's error: the incident is another team's now (the server names `incidentId`), it
 * moved on meanwhile (`cannot accept an incident that is …`, `cannot arrive at …`), no position
 * to report from, or something else.
 */
export function refusalOf(error: { message: string; field?: string; code?: string }): Refusal {
  if (error.field === 'incidentId') return 'not-ours';
  if (error.field === 'lon' || error.field === 'lat') return 'no-position';
  if (error.code === 'state_changed' || /^cannot \w+(?: at)? an incident that is /.test(error.message)) return 'state-changed';
  return 'other';
}

/** The patrol's own incident report: on its way, kept for later, taken (with its reference), or refused. */
export type ReportState =
  | { state: 'idle' }
  | { state: 'sending'; id: string }
  | { state: 'queued'; id: string }
  | { state: 'done'; id: string; reference: string }
  | { state: 'refused'; id: string; problem: Problem; refusal: Refusal };

/** What the patrol writes in the report form. */
export interface ReportInput {
  category: IncidentReportPayload['category'];
  description: string;
  address: string;
}

/** 上报事件: what the form says, at `fix` when the phone has a fresh one (else the server takes the team's last position). */
export function reportPayload(id: string, input: ReportInput, fix: { lon: number; lat: number } | null): IncidentReportPayload {
  const report: IncidentReportPayload = { id, category: input.category, description: input.description.trim() };
  const address = input.address.trim();
  if (address) report.address = address;
  if (fix) {
    report.lon = fix.lon;
    report.lat = fix.lat;
  }
  return report;
}

export type Compass = 'N' | 'NE' | 'E' | 'SE' | 'S' | 'SW' | 'W' | 'NW';
const COMPASS: readonly Compass[] = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];

/** Initial bearing from the first point to the second, degrees clockwise from north. */
export function bearingDegrees(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const y = Math.sin((lon2 - lon1) * rad) * Math.cos(lat2 * rad);
  const x = Math.cos(lat1 * rad) * Math.sin(lat2 * rad) - Math.sin(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos((lon2 - lon1) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

/** How far and which way the scene is from the patrol: "东北方 320 米". */
export function towards(from: { lon: number; lat: number }, to: { lon: number; lat: number }): { metres: number; compass: Compass } {
  const metres = distanceMetres(from.lon, from.lat, to.lon, to.lat);
  const compass = COMPASS[Math.round(bearingDegrees(from.lon, from.lat, to.lon, to.lat) / 45) % 8]!;
  return { metres, compass };
}

/** A `geo:` address the phone hands to its own map app (the page itself loads nothing from outside). */
export function geoUri(lon: number, lat: number, label?: string): string {
  const ll = `${lat.toFixed(6)},${lon.toFixed(6)}`;
  return `geo:${ll}?q=${ll}${label ? `(${encodeURIComponent(label)})` : ''}`;
}
