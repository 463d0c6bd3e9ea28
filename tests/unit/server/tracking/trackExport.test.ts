import { describe, expect, it } from 'vitest';
import type { TrackPoint } from '../../../../server/src/tracking/schemas.ts';
import { toGeoJson, toGpx, toKml, trackFileName } from '../../../../server/src/tracking/trackExport.ts';

const T = Date.UTC(2027, 1, 16, 12);
const fix = (i: number, poor = false): TrackPoint => ({ time: T + i * 60_000, lon: 118.62 + i * 0.001, lat: 33.85, heading: null, speed: null, accuracy: 8, poor });
const meta = { teamId: 'team-1', callSign: '巡<01>&"联防"', from: T, to: T + 3_600_000, truncated: false };

describe('a track exported as a file', () => {
  it('escapes a call sign with markup in GPX and KML, so the file stays well formed and shows it as text', () => {
    for (const text of [toGpx(meta, [fix(0)]), toKml(meta, [fix(0)])]) {
      expect(text).toContain('<name>巡&lt;01&gt;&amp;&quot;联防&quot;</name>');
      expect(text).not.toContain('<01>');
    }
  });

  it('leaves out the fixes the phone marked poor, as the map does', () => {
    const gpx = toGpx(meta, [fix(0), fix(1, true), fix(2)]);
    expect(gpx.match(/<trkpt /g)).toHaveLength(2);
    expect(gpx).not.toContain('lon="118.621"');
  });

  it('gives GeoJSON a LineString for a track, a Point for one fix and no geometry for none', () => {
    const geometry = (points: TrackPoint[]) => (JSON.parse(toGeoJson(meta, points)) as { features: { geometry: unknown }[] }).features[0]!.geometry;
    expect(geometry([fix(0), fix(1)])).toEqual({ type: 'LineString', coordinates: [[118.62, 33.85], [118.621, 33.85]] });
    expect(geometry([fix(0)])).toEqual({ type: 'Point', coordinates: [118.62, 33.85] });
    expect(geometry([])).toBeNull();
  });

  it('names the file after the team and the days it covers, in characters safe in a header', () => {
    expect(trackFileName(meta, 'gpx')).toBe('track-team-1-2027-02-16.gpx');
    expect(trackFileName({ ...meta, teamId: 'T 1"/x', to: T + 2 * 86_400_000 }, 'kml')).toBe('track-T_1__x-2027-02-16_2027-02-18.kml');
  });
});
