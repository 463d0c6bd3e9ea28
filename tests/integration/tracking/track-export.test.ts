/**
 * A team's track as a file (issue 18's exports): GPX that validates against the GPX 1.1 schema
 * (xmllint, tests/fixtures/gpx-1.1-track.xsd), KML that Google Earth reads, GeoJSON, each with
 * the fixes the JSON track holds, downloaded under a file name; the same scope as the track.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { fakeClock, postJson, registerDevice, T0 } from './helpers.ts';

const XSD = join(import.meta.dirname, '../../fixtures/gpx-1.1-track.xsd');
/** The files carry seven decimals (about a centimetre). */
const r7 = (n: number) => Math.round(n * 1e7) / 1e7;

describe('GET /api/teams/:id/track?format=', () => {
  const clock = fakeClock(T0);
  let t: TestApp;
  let leader: SignedIn;
  let dir: string;
  const start = T0;
  const download = (format: string, session = leader) => as(session)(`${t.url}/api/teams/team-1/track?from=${start}&to=${start + 600_000}&format=${format}`);
  /** xmllint's verdict on a file: '' when it validates, else its complaint. */
  const xmllint = (text: string, ...args: string[]) => {
    const file = join(dir, 'track.xml');
    writeFileSync(file, text);
    try {
      execFileSync('xmllint', ['--noout', ...args, file], { stdio: 'pipe' });
      return '';
    } catch (err) {
      return String((err as { stderr?: Buffer }).stderr ?? err);
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lianfang-track-'));
    t = await startTestApp({ clock });
    await seedCounty(t.app, smallCounty());
    leader = await signIn(t, 'leader');
    const device = (await registerDevice(t, 'team-1', '张伟')).identifier;
    // Five minutes along the street, one fix the phone itself marks poor (300 m accuracy).
    for (let i = 0; i < 5; i++) {
      await postJson(`${t.url}/api/positions`, { deviceId: device, lon: 118.62 + i * 0.001, lat: 33.85, time: clock.now(), accuracy: i === 2 ? 300 : 8 });
      clock.advance(60_000);
    }
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function json(): Promise<TrackResponse> {
    return (await (await as(leader)(`${t.url}/api/teams/team-1/track?from=${start}&to=${start + 600_000}`)).json()) as TrackResponse;
  }

  it('downloads a GPX file that validates against the GPX 1.1 schema, with every good fix of the track in order', async () => {
    const res = await download('gpx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gpx+xml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="track-team-1-${new Date(start).toISOString().slice(0, 10)}.gpx"`);
    const gpx = await res.text();
    expect(xmllint(gpx, '--schema', XSD)).toBe('');
    const good = (await json()).positions.filter((p) => !p.poor);
    expect(good).toHaveLength(4);
    const points = [...gpx.matchAll(/<trkpt lat="([\d.]+)" lon="([\d.]+)"><time>([^<]+)<\/time>/g)].map((m) => [Number(m[2]), Number(m[1]), Date.parse(m[3]!)]);
    expect(points).toEqual(good.map((p) => [r7(p.lon), r7(p.lat), p.time]));
    expect(gpx).toContain('<trk>\n    <name>沭城巡01</name>');
  });

  it('downloads KML (one gx:Track, a time per coordinate) and GeoJSON (a LineString) with the same fixes', async () => {
    const good = (await json()).positions.filter((p) => !p.poor);
    const kml = await (await download('kml')).text();
    expect(xmllint(kml)).toBe('');
    expect([...kml.matchAll(/<when>([^<]+)<\/when>/g)].map((m) => Date.parse(m[1]!))).toEqual(good.map((p) => p.time));
    expect([...kml.matchAll(/<gx:coord>([\d.]+) ([\d.]+) 0<\/gx:coord>/g)].map((m) => [Number(m[1]), Number(m[2])])).toEqual(good.map((p) => [r7(p.lon), r7(p.lat)]));

    const res = await download('geojson');
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const collection = (await res.json()) as { type: string; features: { geometry: { type: string; coordinates: number[][] }; properties: { times: string[] } }[] };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features[0]!.geometry).toEqual({ type: 'LineString', coordinates: good.map((p) => [r7(p.lon), r7(p.lat)]) });
    expect(collection.features[0]!.properties.times.map(Date.parse)).toEqual(good.map((p) => p.time));
  });

  it('refuses an unknown format naming the field, and another organisation\'s coordinator as for the track itself', async () => {
    const res = await download('shp');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'querystring.format' });
    const outsider = await signIn(t, 'coordinator'); // 金盾保安公司: team-1 is the police's
    expect((await download('gpx', outsider)).status).toBe(403);
  });
});
