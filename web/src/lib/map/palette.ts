/**
 * The map's colours, shared by the layers and the legend so the two can never disagree.
 * A dark command-centre theme: a deep navy ground, muted township tints, saturated unit colours.
 */
import type { Agency, IncidentCategory, IncidentState, LocationCategory } from '@lianfang/geo';

/** Team colour by agency; insertion order is the order the header and legend list them in. */
export const AGENCY_COLOURS: Record<Agency, string> = {
  police: '#3d8bff',
  security: '#ff8a2a',
  grid: '#2fc97a',
  volunteer: '#ff4d5e',
  joint: '#b36bff',
};
export const AGENCIES_IN_ORDER = Object.keys(AGENCY_COLOURS) as Agency[];

/** A team whose latest fix is too old to trust where it is. */
export const OFFLINE_COLOUR = '#6b7688';

/** The ring and glow of a team responding to an incident (处警中). */
export const RESPONDING_COLOUR = '#ffd23f';

/** A replayed track: the whole route, the part already played, and the replayed team. */
export const REPLAY_COLOURS = { track: '#7f9bbd', travelled: '#4fe3ff', position: '#4fe3ff' } as const;

/**
 * Key locations in a key period by coverage: covered 已覆盖, due soon 即将超时, uncovered 未覆盖.
 * Brighter than the agency colours they resemble, and drawn without the teams' white ring.
 */
export const COVERAGE_COLOURS = {
  covered: '#3ee08f',
  due_soon: '#ffc23d',
  uncovered: '#ff3b4e',
} as const;

/** Alert kinds on the panel: the colour of the badge and of the card's edge. */
export const ALERT_COLOURS = {
  uncovered: '#ff3b4e',
  sos: '#ff5cf0',
  team_offline: '#9aa7ba',
  team_outside: '#ff8a2a',
  due_soon: '#ffc23d',
  incident_late: '#ff6a3d',
  battery_low: '#c9a0ff',
  order_unread: '#7cc4ff',
  post_left: '#ff9f43',
} as const;

/**
 * Incident markers by state: new 待处置 red, dispatched 已派警 / accepted 已接警 amber, on scene
 * 已到场 blue, resolved 已办结 grey, escalated 已上报 purple. Insertion order is the legend's.
 */
export const INCIDENT_STATE_COLOURS: Record<IncidentState, string> = {
  new: '#ff3b4e',
  dispatched: '#ffb020',
  accepted: '#ffb020',
  on_scene: '#3d9bff',
  escalated: '#b36bff',
  resolved: '#7d8799',
};
export const INCIDENT_STATES_IN_ORDER = Object.keys(INCIDENT_STATE_COLOURS) as IncidentState[];

/**
 * The glyph drawn on an incident's marker, one character per category: the map's own labels draw
 * it (no icon files), and the legend and panel show the same one.
 */
export const INCIDENT_GLYPHS: Record<IncidentCategory, string> = {
  help: '助',
  dispute: '纠',
  public_order: '治',
  suspicious_person: '疑',
  safety_hazard: '险',
  traffic: '交',
  mass_gathering: '聚',
  other: '他',
};
export const INCIDENT_CATEGORIES_IN_ORDER = Object.keys(INCIDENT_GLYPHS) as IncidentCategory[];

export const CATEGORY_COLOURS: Record<LocationCategory, string> = {
  station: '#4fd1e8',
  hotel: '#f07cc0',
  residential: '#e9c46a',
  enterprise: '#8da9c4',
  school: '#8be0a4',
  market: '#f4a261',
  hospital: '#ff7b7b',
  crowded: '#c9a0ff',
  other: '#a3acb9',
};
export const CATEGORIES_IN_ORDER = Object.keys(CATEGORY_COLOURS) as LocationCategory[];

/** Township tints by the `colour` index 0–7 the server assigns so neighbours differ. */
export const TOWNSHIP_TINTS = [
  '#2a6bb0',
  '#23827e',
  '#5560c8',
  '#3d6f95',
  '#2f8a5c',
  '#6a4fb8',
  '#1f87b8',
  '#527a6a',
] as const;

export const THEME = {
  ground: '#081120',
  countyLand: '#0e1b2e',
  countyLine: '#5cc8ff',
  countyGlow: '#1b6fa8',
  townshipLine: '#7f9bbd',
  gridLine: '#4a6485',
  gridLineHover: '#cfe6ff',
  keyGrid: '#ffb547',
  labelText: '#e8f0fb',
  labelHalo: '#06101e',
  teamStroke: '#ffffff',
} as const;
