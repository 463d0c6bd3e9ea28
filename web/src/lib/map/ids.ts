/**
 * Source and layer ids, in one place because the click router, the search highlight and the
 * browser tests (through the test hook) all look layers up by id.
 */
export const SOURCES = {
  county: 'county',
  townships: 'townships',
  townshipLabels: 'township-labels',
  grids: 'grids',
  gridLabels: 'grid-labels',
  locations: 'locations',
  teams: 'teams',
  highlight: 'search-highlight',
  raster: 'basemap-raster',
  alertFocus: 'alert-focus',
  teamTrails: 'team-trails',
  replay: 'replay',
  incidents: 'incidents',
  assignedGrids: 'assigned-grids',
  sosMarks: 'sos-marks',
  planPreview: 'plan-preview',
  majorEvent: 'major-event',
} as const;

export const LAYERS = {
  // Anchors: empty layers in the base style that mark where each band of layers ends, so a
  // component added later still lands in its band (areas < points < labels).
  areasTop: 'anchor:areas',
  pointsTop: 'anchor:points',
  labelsTop: 'anchor:labels',

  basemap: 'basemap-raster',
  countyLand: 'county-land',
  countyGlow: 'county-glow',
  countyLine: 'county-line',
  townshipFill: 'township-fill',
  townshipLine: 'township-line',
  townshipLabel: 'township-label',
  gridFill: 'grid-fill',
  gridKeyHatch: 'grid-key-hatch',
  gridLine: 'grid-line',
  gridLabel: 'grid-label',
  locationHalo: 'location-halo',
  locations: 'locations',
  locationLabel: 'location-label',
  townshipUncovered: 'township-uncovered',
  alertFocusRing: 'alert-focus-ring',
  alertFocusLink: 'alert-focus-link',
  incidentPulse: 'incident-pulse',
  incidentSelected: 'incident-selected',
  incidents: 'incidents',
  incidentGlyph: 'incident-glyph',
  assignedGridFill: 'assigned-grid-fill',
  planPreview: 'plan-preview',
  assignedGridLine: 'assigned-grid-line',
  teamTrail: 'team-trail',
  teamResponding: 'team-responding',
  sosHalo: 'sos-halo',
  sosRing: 'sos-ring',
  teams: 'teams',
  teamHeading: 'team-heading',
  replayTrack: 'replay-track',
  replayTravelled: 'replay-travelled',
  replayPosition: 'replay-position',
  teamLabel: 'team-label',
  highlightFill: 'search-highlight-fill',
  highlightLine: 'search-highlight-line',
  highlightPoint: 'search-highlight-point',
  eventAreaFill: 'event-area-fill',
  eventAreaLine: 'event-area-line',
  eventPosts: 'event-posts',
  eventReplay: 'event-replay',
} as const;

/** Diagonal hatching that marks key grids (重点网格), drawn in code like the arrows. */
export const KEY_GRID_PATTERN = 'key-grid-hatch';

/** The red pill behind a township's count of uncovered key locations (stretched to fit the text). */
export const UNCOVERED_BADGE = 'uncovered-badge';

/** Heading arrow images, one per agency (`team-heading-police` …), drawn in code: no sprite. */
export const HEADING_IMAGE_PREFIX = 'team-heading-';
