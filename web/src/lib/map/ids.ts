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
} as const;

export const LAYERS = {
  // Anchors: empty layers in the base style that mark where each band of layers ends, so a
  // component added later still lands in its band (areas < points < labels).
  areasTop: 'anchor:areas',
  pointsTop: 'anchor:points',
  labelsTop: 'anchor:labels',

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
  locations: 'locations',
  locationLabel: 'location-label',
  teams: 'teams',
  teamHeading: 'team-heading',
  teamLabel: 'team-label',
  highlightFill: 'search-highlight-fill',
  highlightLine: 'search-highlight-line',
  highlightPoint: 'search-highlight-point',
} as const;

/** Diagonal hatching that marks key grids (重点网格), drawn in code like the arrows. */
export const KEY_GRID_PATTERN = 'key-grid-hatch';

/** Heading arrow images, one per agency (`team-heading-police` …), drawn in code: no sprite. */
export const HEADING_IMAGE_PREFIX = 'team-heading-';
