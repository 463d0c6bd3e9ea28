import { describe, expect, it } from 'vitest';
import {
  INITIAL,
  openIncidentId,
  transition,
  type SelectionEvent,
  type SelectionState,
} from '../../../web/src/lib/selection/selection.ts';

const COVERAGE_ALERT = { id: 'A1', kind: 'uncovered', incidentId: null };
const LATE_ALERT = { id: 'A2', kind: 'incident_late', incidentId: 'I9' };
const POINT = { lon: 118.77, lat: 34.12, label: '沭城街道 · 第1网格' };
const LINKS: [number, number][] = [[118.8, 34.1]];

function after(...events: SelectionEvent[]): SelectionState {
  return events.reduce(transition, INITIAL);
}

describe(transition.name, () => {
  it('holds one thing selected at a time: an alert, then an incident, then a team', () => {
    let state = after({ type: 'alert', alert: COVERAGE_ALERT });
    expect(state.selected).toEqual({ kind: 'alert', alertId: 'A1', locationId: null, incidentId: null });
    state = transition(state, { type: 'incident', incidentId: 'I1' });
    expect(state.selected).toEqual({ kind: 'incident', incidentId: 'I1' });
    state = transition(state, { type: 'team', teamId: 'T1' });
    expect(state.selected).toEqual({ kind: 'team', teamId: 'T1' });
    state = transition(state, { type: 'alert', alert: COVERAGE_ALERT });
    expect(state.selected.kind).toBe('alert');
  });

  it('selecting a team clears a selected incident', () => {
    const state = after({ type: 'incident', incidentId: 'I1' }, { type: 'team', teamId: 'T1' });
    expect(openIncidentId(state)).toBeNull();
    expect(state.selected).toEqual({ kind: 'team', teamId: 'T1' });
  });

  it("a team's popup closing clears the team, but not what was selected since", () => {
    expect(after({ type: 'team', teamId: 'T1' }, { type: 'team', teamId: null }).selected).toEqual({ kind: 'none' });
    // Clicking an incident replaces the popup: its close arrives after the incident was chosen.
    const state = after({ type: 'team', teamId: 'T1' }, { type: 'incident', incidentId: 'I1' }, { type: 'team', teamId: null });
    expect(state.selected).toEqual({ kind: 'incident', incidentId: 'I1' });
  });

  it("a late incident's alert opens its incident in the incident panel, in place of a report being taken", () => {
    const state = after({ type: 'startIntake', quick: false, point: null }, { type: 'toggleIncidents' }, { type: 'alert', alert: LATE_ALERT });
    expect(state.incidentsOpen).toBe(true);
    expect(state.intake).toBeNull();
    expect(openIncidentId(state)).toBe('I9');
    expect(state.selected).toMatchObject({ kind: 'alert', alertId: 'A2' });
  });

  it('choosing another alert closes the incident a late alert opened; going back to the list keeps the alert', () => {
    expect(openIncidentId(after({ type: 'alert', alert: LATE_ALERT }, { type: 'alert', alert: COVERAGE_ALERT }))).toBeNull();
    const back = after({ type: 'alert', alert: LATE_ALERT }, { type: 'incident', incidentId: null });
    expect(back.selected).toEqual({ kind: 'alert', alertId: 'A2', locationId: null, incidentId: null });
  });

  it("picks a location in the selected township alert, and forgets it when another alert is chosen", () => {
    const picked = after({ type: 'alert', alert: COVERAGE_ALERT }, { type: 'alertLocation', locationId: 'L7' });
    expect(picked.selected).toMatchObject({ locationId: 'L7' });
    expect(transition(picked, { type: 'alert', alert: { ...COVERAGE_ALERT, id: 'A3' } }).selected).toMatchObject({ locationId: null });
    // Nothing to pick in without a selected alert.
    expect(after({ type: 'alertLocation', locationId: 'L7' })).toEqual(INITIAL);
  });

  it('starting intake clears the selection, closes the menu and opens the incident panel', () => {
    const state = after(
      { type: 'alert', alert: COVERAGE_ALERT },
      { type: 'links', links: LINKS },
      { type: 'openMenu', menu: { x: 10, y: 20, at: [118.77, 34.12] } },
      { type: 'startIntake', quick: true, point: POINT },
    );
    expect(state).toMatchObject({ selected: { kind: 'none' }, menu: null, links: [], incidentsOpen: true, intake: { quick: true, point: POINT } });
  });

  it("opening the form from the panel clears the selection; picking the place again keeps what else is open", () => {
    const opened = after({ type: 'team', teamId: 'T1' }, { type: 'intake', intake: { quick: false, point: null } });
    expect(opened.selected).toEqual({ kind: 'none' });
    const repick = transition({ ...opened, intake: { quick: true, point: POINT } }, { type: 'intake', intake: { quick: true, point: null } });
    expect(repick.intake).toEqual({ quick: true, point: null });
  });

  it('a map click while a report is taken is its place, and does not select the team under it', () => {
    let state = after({ type: 'startIntake', quick: false, point: null }, { type: 'pickPoint', point: POINT });
    expect(state.intake).toEqual({ quick: false, point: POINT });
    state = transition(state, { type: 'team', teamId: 'T1' });
    expect(state.selected).toEqual({ kind: 'none' });
    // No report being taken: a click picks nothing.
    expect(after({ type: 'pickPoint', point: POINT }).intake).toBeNull();
  });

  it('choosing an incident ends the report being taken (its form gives way to the incident)', () => {
    const state = after({ type: 'startIntake', quick: false, point: POINT }, { type: 'incident', incidentId: 'I1' });
    expect(state.intake).toBeNull();
    expect(openIncidentId(state)).toBe('I1');
  });

  it('closing the incident panel cancels the report and closes the incident, but keeps a selected alert', () => {
    const state = after({ type: 'alert', alert: LATE_ALERT }, { type: 'toggleIncidents' });
    expect(state.incidentsOpen).toBe(false);
    expect(state.selected).toEqual({ kind: 'alert', alertId: 'A2', locationId: null, incidentId: null });
    const intake = after({ type: 'startIntake', quick: false, point: POINT }, { type: 'toggleIncidents' });
    expect(intake.intake).toBeNull();
  });

  it('a new selection drops the lines to the previous one’s nearest teams', () => {
    const state = after({ type: 'incident', incidentId: 'I1' }, { type: 'links', links: LINKS }, { type: 'incident', incidentId: 'I2' });
    expect(state.links).toEqual([]);
  });

  it('Escape closes the menu first, then the shift form, then clears the selection', () => {
    let state = after({ type: 'team', teamId: 'T1' }, { type: 'openShift', teamId: 'T1' }, { type: 'openMenu', menu: { x: 1, y: 2, at: [118, 34] } });
    state = transition(state, { type: 'escape' });
    expect(state.menu).toBeNull();
    expect(state.shiftTeamId).toBe('T1');
    state = transition(state, { type: 'escape' });
    expect(state.shiftTeamId).toBeNull();
    expect(state.selected).toEqual({ kind: 'team', teamId: 'T1' });
    state = transition(state, { type: 'escape' });
    expect(state.selected).toEqual({ kind: 'none' });
  });

  it('Escape leaves a report being taken open (its typed text is not lost)', () => {
    const state = after({ type: 'startIntake', quick: false, point: POINT }, { type: 'escape' });
    expect(state.intake).toEqual({ quick: false, point: POINT });
  });
});
