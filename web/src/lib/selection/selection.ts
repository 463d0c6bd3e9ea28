/**
 * What the command map is looking at, as one value changed by one pure function: the one thing
 * selected (an alert, an incident or a team), the report being taken (intake), the map's menu, the
 * incident panel and the shift form. Plain TypeScript, no Svelte, so unit tests can drive it;
 * `selection.svelte.ts` holds it for the map.
 */
import type { IntakePoint } from '../live/incidents';

/** The one thing selected. */
export type Selected =
  | { kind: 'none' }
  /**
   * An alert (告警) in the right panel. `locationId`: in a township's coverage alert, the location
   * picked from its list (null: the most overdue). `incidentId`: a late incident's alert opens its
   * incident in the left panel too.
   */
  | { kind: 'alert'; alertId: string; locationId: string | null; incidentId: string | null }
  /** An incident (事件) in the left panel. */
  | { kind: 'incident'; incidentId: string }
  /** A team whose popup is open: its assigned grids are outlined. */
  | { kind: 'team'; teamId: string };

/** Taking a report: the form is open; `point` null until one is picked (a map click, a search result). */
export interface Intake {
  /** Opened by 派最近队伍到这里: the form sends the nearest team as soon as it is saved. */
  quick: boolean;
  point: IntakePoint | null;
}

/** The map's menu at a right-clicked (or long-pressed) point. */
export interface MapMenuAt {
  /** CSS px from the map's top-left. */
  x: number;
  y: number;
  /** The point, WGS-84. */
  at: [number, number];
}

export interface SelectionState {
  selected: Selected;
  intake: Intake | null;
  menu: MapMenuAt | null;
  /** The incident panel (left) is open; the legend shows when it is not. */
  incidentsOpen: boolean;
  /** The team being given a shift (排班) in the form. */
  shiftTeamId: string | null;
  /** Lines from the focused place to the teams its panel lists (nearest teams). */
  links: [number, number][];
}

/** What selecting an alert needs to know about it. */
export interface AlertRef {
  id: string;
  kind: string;
  incidentId: string | null;
}

export type SelectionEvent =
  /** An alert chosen in the panel, or null to close it. */
  | { type: 'alert'; alert: AlertRef | null }
  /** One of the selected township alert's locations chosen. */
  | { type: 'alertLocation'; locationId: string }
  /** An incident chosen in the panel or on the map, or null to go back to the list. */
  | { type: 'incident'; incidentId: string | null }
  /** A team's popup opened, or (null) closed. */
  | { type: 'team'; teamId: string | null }
  | { type: 'links'; links: [number, number][] }
  | { type: 'toggleIncidents' }
  /** 新建事件 (no point yet) or the map menu's choices (at its point). */
  | { type: 'startIntake'; quick: boolean; point: IntakePoint | null }
  /** The form's own changes: pick the place again (point null), or cancel (null). */
  | { type: 'intake'; intake: Intake | null }
  /** A map click or a search result while a report is taken: its place. */
  | { type: 'pickPoint'; point: IntakePoint }
  | { type: 'openMenu'; menu: MapMenuAt }
  | { type: 'closeMenu' }
  | { type: 'openShift'; teamId: string }
  | { type: 'closeShift' }
  /** Closes the innermost thing open: the menu, else the shift form, else the selection. */
  | { type: 'escape' };

export const NOTHING: Selected = { kind: 'none' };

export const INITIAL: SelectionState = {
  selected: NOTHING,
  intake: null,
  menu: null,
  incidentsOpen: false,
  shiftTeamId: null,
  links: [],
};

/** The incident open in the left panel: the one selected, or the one a selected late alert opened. */
export function openIncidentId(state: SelectionState): string | null {
  if (!state.incidentsOpen) return null;
  const { selected } = state;
  if (selected.kind === 'incident') return selected.incidentId;
  if (selected.kind === 'alert') return selected.incidentId;
  return null;
}

/** The selection without its incident (the panel closed, or went back to its list). */
function withoutIncident(selected: Selected): Selected {
  if (selected.kind === 'incident') return NOTHING;
  if (selected.kind === 'alert' && selected.incidentId) return { ...selected, incidentId: null };
  return selected;
}

export function transition(state: SelectionState, event: SelectionEvent): SelectionState {
  switch (event.type) {
    case 'alert': {
      const { alert } = event;
      if (!alert) return state.selected.kind === 'alert' ? { ...state, selected: NOTHING, links: [] } : { ...state, links: [] };
      const incidentId = alert.kind === 'incident_late' ? alert.incidentId : null;
      const selected: Selected = { kind: 'alert', alertId: alert.id, locationId: null, incidentId };
      // A late incident's alert opens the incident, in place of a report being taken.
      if (incidentId) return { ...state, selected, links: [], incidentsOpen: true, intake: null };
      return { ...state, selected, links: [] };
    }
    case 'alertLocation':
      if (state.selected.kind !== 'alert') return state;
      return { ...state, selected: { ...state.selected, locationId: event.locationId } };
    case 'incident':
      if (!event.incidentId) return { ...state, selected: withoutIncident(state.selected), links: [] };
      return { ...state, selected: { kind: 'incident', incidentId: event.incidentId }, incidentsOpen: true, intake: null, links: [] };
    case 'team':
      if (!event.teamId) return state.selected.kind === 'team' ? { ...state, selected: NOTHING } : state;
      // While a report is taken a click on the map picks its place; the team under it is not selected.
      if (state.intake) return state;
      return { ...state, selected: { kind: 'team', teamId: event.teamId }, links: [] };
    case 'links':
      return { ...state, links: event.links };
    case 'toggleIncidents':
      if (!state.incidentsOpen) return { ...state, incidentsOpen: true };
      return { ...state, incidentsOpen: false, intake: null, selected: withoutIncident(state.selected), links: [] };
    case 'startIntake':
      return { ...state, selected: NOTHING, links: [], menu: null, incidentsOpen: true, intake: { quick: event.quick, point: event.point } };
    case 'intake':
      if (!event.intake) return { ...state, intake: null };
      // Opening the form clears the selection; changing an open one does not.
      if (!state.intake) return { ...state, selected: NOTHING, links: [], incidentsOpen: true, intake: event.intake };
      return { ...state, intake: event.intake };
    case 'pickPoint':
      if (!state.intake) return state;
      return { ...state, menu: null, intake: { ...state.intake, point: event.point } };
    case 'openMenu':
      return { ...state, menu: event.menu };
    case 'closeMenu':
      return state.menu ? { ...state, menu: null } : state;
    case 'openShift':
      return { ...state, menu: null, shiftTeamId: event.teamId };
    case 'closeShift':
      return { ...state, shiftTeamId: null };
    case 'escape':
      if (state.menu) return { ...state, menu: null };
      if (state.shiftTeamId) return { ...state, shiftTeamId: null };
      return { ...state, selected: NOTHING, links: [] };
  }
}
