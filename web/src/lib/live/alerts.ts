/**
 * The alert panel's rules as plain functions: the order a command centre works through alerts,
 * which of two copies of an alert is newer, who may act on one (the server checks again), and
 * which of a township's locations its coverage alert is about.
 */
import type { AlertKind, AlertView, SessionUser } from '@lianfang/server/api';
import type { LocationCoverage } from './coverage';

/**
 * Within a level: a person's emergency and a late incident before places: an SOS, a late
 * incident, a location nobody covers, a team offline or outside its grids, then due soon.
 */
export const KIND_URGENCY: Record<AlertKind, number> = { sos: 0, incident_late: 1, uncovered: 2, team_offline: 3, team_outside: 3, battery_low: 3, order_unread: 3, post_left: 3, due_soon: 4 };

/**
 * Most urgent first: an SOS not yet acknowledged, always (a person in danger outranks any
 * escalation); then escalated (level 2), then by kind ({@link KIND_URGENCY}), then not yet
 * acknowledged before acknowledged, then the oldest condition first.
 */
export function compareAlerts(a: AlertView, b: AlertView): number {
  return (
    Number(isOpenSos(b)) - Number(isOpenSos(a)) ||
    b.level - a.level ||
    KIND_URGENCY[a.kind] - KIND_URGENCY[b.kind] ||
    Number(a.state === 'acknowledged') - Number(b.state === 'acknowledged') ||
    a.at - b.at ||
    a.id.localeCompare(b.id, 'en', { numeric: true })
  );
}

/** An SOS nobody has acknowledged yet: the banner, the alarm and the mark on the team's dot stay until someone does. */
export function isOpenSos(alert: Pick<AlertView, 'kind' | 'state'>): boolean {
  return alert.kind === 'sos' && alert.state === 'raised';
}

/**
 * The alert panel's two parts: alerts about people and incidents (and any escalated one) as
 * cards, most urgent first; a township's routine coverage alerts (未覆盖 / 即将超时, not escalated)
 * as one line per township below them, so a flood of them never pushes an emergency out of view.
 * Each township's line holds its uncovered and due-soon alerts, the township with most uncovered first.
 */
export interface PanelAlerts {
  cards: AlertView[];
  townships: TownshipLine[];
}

export interface TownshipLine {
  townshipId: string;
  uncovered: AlertView | null;
  dueSoon: AlertView | null;
}

export function panelAlerts(sorted: readonly AlertView[]): PanelAlerts {
  const cards: AlertView[] = [];
  const lines = new Map<string, TownshipLine>();
  for (const alert of sorted) {
    if (!isTownshipAlert(alert) || alert.level > 1) {
      cards.push(alert);
      continue;
    }
    let line = lines.get(alert.townshipId);
    if (!line) lines.set(alert.townshipId, (line = { townshipId: alert.townshipId, uncovered: null, dueSoon: null }));
    if (alert.kind === 'uncovered') line.uncovered = alert;
    else line.dueSoon = alert;
  }
  // Sorted input: a township with an uncovered alert was met at its uncovered alert, before any due soon.
  const townships = [...lines.values()].sort((a, b) => Number(Boolean(b.uncovered)) - Number(Boolean(a.uncovered)));
  return { cards, townships };
}

/** When the alert last changed: its latest transition. */
export function lastChanged(alert: AlertView): number {
  let latest = alert.raisedAt;
  for (const step of alert.history) if (step.at > latest) latest = step.at;
  return latest;
}

const STEP: Record<AlertView['state'], number> = { raised: 0, acknowledged: 1, resolved: 2 };

/**
 * Whether `incoming` should replace `held`: an alert only moves forward (raised → acknowledged →
 * resolved), so a copy that is further along, or as far along and changed later, wins.
 */
export function isNewer(incoming: AlertView, held: AlertView | undefined): boolean {
  if (!held) return true;
  return STEP[incoming.state] - STEP[held.state] > 0 || (STEP[incoming.state] === STEP[held.state] && lastChanged(incoming) >= lastChanged(held));
}

/** What the map knows about a team, to tell a coordinator's own teams from others. */
export type TeamOrganisation = (teamId: string) => string | undefined;

/**
 * Acknowledge (确认): dispatchers and admins any alert; a coordinator those about its own
 * organisation's teams (the server also allows its township's locations, which the map cannot
 * tell, so it offers no button there); leaders never.
 */
export function canAcknowledge(user: SessionUser | null, alert: AlertView, organisationOf: TeamOrganisation): boolean {
  if (!user || alert.state === 'resolved') return false;
  if (user.role === 'admin' || user.role === 'dispatcher') return true;
  if (user.role !== 'coordinator' || !alert.teamId || !user.organisationId) return false;
  return organisationOf(alert.teamId) === user.organisationId;
}

/** Resolve by hand (with a reason): the command centre only. */
export function canResolve(user: SessionUser | null, alert: AlertView): boolean {
  return alert.state !== 'resolved' && (user?.role === 'admin' || user?.role === 'dispatcher');
}

/** Send (派遣) a team to a location: dispatchers and admins any team, coordinators their own. */
export function canSend(user: SessionUser | null, teamOrganisationId: string | undefined): boolean {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'dispatcher') return true;
  return user.role === 'coordinator' && user.organisationId !== null && teamOrganisationId === user.organisationId;
}

/** Where the map marks the alert being looked at, and the teams that could go there. */
export interface FocusPlace {
  lon: number;
  lat: number;
  colour: string;
  /** Teams to draw a dashed line to, [lon, lat]. */
  links: [number, number][];
}

/** The step an `incident_late` alert is about, as the server sends it (`step`); null for every other kind. */
export function lateStepOf(alert: Pick<AlertView, 'kind' | 'step'>): AlertView['step'] {
  return alert.kind === 'incident_late' ? alert.step : null;
}

/* ---------- A township's coverage alert (未覆盖 / 即将超时) ---------- */

/** The kinds raised once per township: which of its locations they are about is the live coverage. */
export type TownshipAlertKind = 'uncovered' | 'due_soon';

/** A coverage alert about a township (the server raises one per township and kind, `locationId` null). */
export function isTownshipAlert(alert: AlertView): alert is AlertView & { kind: TownshipAlertKind; townshipId: string } {
  return (alert.kind === 'uncovered' || alert.kind === 'due_soon') && alert.locationId === null && alert.townshipId !== null;
}

/** A key location as the alert panel lists it, from the geography already loaded. */
export interface KeyPlace {
  id: string;
  name: string;
  lon: number;
  lat: number;
}

/** One of the listed locations, with its deadline (uncovered after it), epoch ms. */
export interface AlertLocation extends KeyPlace {
  deadline: number | null;
}

/** The locations a township's coverage alert is about now. */
export interface AlertLocations {
  /** How many are in the alert's state (0 once all were visited: the server resolves it soon). */
  count: number;
  /** The most urgent first (earliest deadline), at most `limit`. */
  rows: AlertLocation[];
  /** Left off the list. */
  more: number;
}

/** Listed at once: a township can have hundreds uncovered on a bad night. */
export const ALERT_LOCATIONS_LIMIT = 20;

/**
 * Which of a township's locations are in the state its alert is about (`uncovered` or
 * `due_soon`), most urgent first: the earliest deadline, a location without one last.
 */
export function alertLocations(
  kind: TownshipAlertKind,
  places: readonly KeyPlace[],
  coverage: ReadonlyMap<string, LocationCoverage>,
  limit = ALERT_LOCATIONS_LIMIT,
): AlertLocations {
  const rows: AlertLocation[] = [];
  for (const place of places) {
    const held = coverage.get(place.id);
    if (held?.state === kind) rows.push({ ...place, deadline: held.deadline });
  }
  rows.sort((a, b) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { count: rows.length, rows: rows.slice(0, limit), more: Math.max(0, rows.length - limit) };
}

/** The location looked at: the one picked while it is still listed, else the most urgent; null when none is. */
export function focusedLocation(locations: AlertLocations, picked: string | null): AlertLocation | null {
  return locations.rows.find((row) => row.id === picked) ?? locations.rows[0] ?? null;
}
