/**
 * Where the map rings what is looked at: the place of the report being taken, the selected
 * incident, or the selected alert. Plain functions, no Svelte.
 */
import type { AlertView, IncidentView, TeamView } from '@lianfang/server/api';
import type { FocusPlace } from '../live/alerts';
import { ALERT_COLOURS, INCIDENT_STATE_COLOURS } from '../map/palette';
import type { Intake } from './selection';

/** The intake's ring: the colour of the map's own highlights. */
const INTAKE_COLOUR = '#5cc8ff';

/**
 * Where an alert is: the location looked at (a township's coverage alert), else its team's latest
 * position (alerts about a team), else the alert's own place (a location, an incident).
 */
export function alertPosition(alert: AlertView, team: TeamView | undefined, location: { lon: number; lat: number } | null): [number, number] | null {
  if (location) return [location.lon, location.lat];
  const atPlace = alert.kind === 'uncovered' || alert.kind === 'due_soon' || alert.kind === 'incident_late';
  if (!atPlace && team?.lon != null && team.lat != null) return [team.lon, team.lat];
  if (alert.lon !== null && alert.lat !== null) return [alert.lon, alert.lat];
  return null;
}

/** The one place ringed, in that order: the report's place, the incident, the alert. */
export function focusOf(
  intake: Intake | null,
  incident: IncidentView | undefined,
  alert: { alert: AlertView; at: [number, number] | null } | null,
  links: [number, number][],
): FocusPlace | null {
  if (intake?.point) return { lon: intake.point.lon, lat: intake.point.lat, colour: INTAKE_COLOUR, links: [] };
  if (incident) return { lon: incident.lon, lat: incident.lat, colour: INCIDENT_STATE_COLOURS[incident.state], links };
  if (!alert?.at) return null;
  return { lon: alert.at[0], lat: alert.at[1], colour: ALERT_COLOURS[alert.alert.kind], links };
}
