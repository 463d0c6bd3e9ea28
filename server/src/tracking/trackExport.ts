/**
 * A team's track as the files other tools open: GPX 1.1 (GPS tools, OsmAnd, JOSM), KML 2.2
 * (Google Earth, 奥维互动地图) and GeoJSON (QGIS, any web map). Pure: the route reads the track and
 * sends what these return. Fixes the device marked poor are left out of the line; the call sign
 * and member names are the team's own text and are escaped.
 */
import type { TrackFormat, TrackPoint } from './schemas.ts';

export interface TrackMeta {
  teamId: string;
  callSign: string;
  from: number;
  to: number;
  /** Whether the window held more fixes than were exported. */
  truncated: boolean;
}

export const TRACK_MEDIA: Record<TrackFormat, string> = {
  gpx: 'application/gpx+xml',
  kml: 'application/vnd.google-earth.kml+xml',
  geojson: 'application/geo+json',
};

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const iso = (t: number) => new Date(t).toISOString();
/** Seven decimals: about a centimetre, more than any phone knows (and no 118.62100000000001). */
const round7 = (n: number) => Math.round(n * 1e7) / 1e7;
const coord = (n: number) => String(round7(n));

/** The file's name (ASCII, safe in a header): team id and the window's UTC days. */
export function trackFileName(meta: TrackMeta, format: TrackFormat): string {
  const day = (t: number) => iso(t).slice(0, 10);
  const safe = meta.teamId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `track-${safe}-${day(meta.from)}${day(meta.to) === day(meta.from) ? '' : `_${day(meta.to)}`}.${format === 'geojson' ? 'geojson' : format}`;
}

const good = (positions: TrackPoint[]) => positions.filter((p) => !p.poor);

export function toGpx(meta: TrackMeta, positions: TrackPoint[]): string {
  const points = good(positions).map((p) => `      <trkpt lat="${coord(p.lat)}" lon="${coord(p.lon)}"><time>${iso(p.time)}</time></trkpt>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Lianfang" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${xml(meta.callSign)}</name><desc>${xml(`${iso(meta.from)} – ${iso(meta.to)}${meta.truncated ? ' (truncated)' : ''}`)}</desc><time>${iso(meta.to)}</time></metadata>`,
    '  <trk>',
    `    <name>${xml(meta.callSign)}</name>`,
    '    <trkseg>',
    ...points,
    '    </trkseg>',
    '  </trk>',
    '</gpx>',
    '',
  ].join('\n');
}

export function toKml(meta: TrackMeta, positions: TrackPoint[]): string {
  const points = good(positions);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">',
    '  <Document>',
    `    <name>${xml(meta.callSign)}</name>`,
    '    <Placemark>',
    `      <name>${xml(meta.callSign)}</name>`,
    `      <TimeSpan><begin>${iso(meta.from)}</begin><end>${iso(meta.to)}</end></TimeSpan>`,
    '      <gx:Track>',
    ...points.map((p) => `        <when>${iso(p.time)}</when>`),
    ...points.map((p) => `        <gx:coord>${coord(p.lon)} ${coord(p.lat)} 0</gx:coord>`),
    '      </gx:Track>',
    '    </Placemark>',
    '  </Document>',
    '</kml>',
    '',
  ].join('\n');
}

export function toGeoJson(meta: TrackMeta, positions: TrackPoint[]): string {
  const points = good(positions);
  return JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { teamId: meta.teamId, callSign: meta.callSign, from: iso(meta.from), to: iso(meta.to), truncated: meta.truncated, times: points.map((p) => iso(p.time)) },
        // A LineString needs two positions: one fix is a point, none no geometry.
        geometry:
          points.length === 0 ? null : points.length === 1 ? { type: 'Point', coordinates: [round7(points[0]!.lon), round7(points[0]!.lat)] } : { type: 'LineString', coordinates: points.map((p) => [round7(p.lon), round7(p.lat)]) },
      },
    ],
  });
}

export function exportTrack(format: TrackFormat, meta: TrackMeta, positions: TrackPoint[]): string {
  return format === 'gpx' ? toGpx(meta, positions) : format === 'kml' ? toKml(meta, positions) : toGeoJson(meta, positions);
}
