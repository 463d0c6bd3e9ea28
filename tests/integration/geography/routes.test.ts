import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridDetail, GridsResponse, LocationDetail, SearchResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';

/** A raw GET (fetch would transparently gunzip and hide the encoding). */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('geography routes', () => {
  let t: TestApp;
  let leader: SignedIn;
  let get: ReturnType<typeof as>;
  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
    leader = await signIn(t, 'leader');
    get = as(leader);
  });
  afterAll(async () => t?.stop());

  it('serves the grids gzipped with an ETag, and a 304 when the map already has them', async () => {
    const first = await rawGet(`${t.url}/api/geo/grids`, { 'accept-encoding': 'gzip', cookie: leader.cookie });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    const grids = JSON.parse(gunzipSync(first.body).toString()) as GridsResponse;
    expect(grids.features.map((f) => f.properties.name)).toEqual(['城东一网格', '城东二网格', '王庄一网格', '王庄二网格']);
    expect(grids.features[2]?.properties).toMatchObject({ townshipName: '胡集镇', villageName: '王庄村', colour: 1 });

    const again = await rawGet(`${t.url}/api/geo/grids`, { 'if-none-match': String(first.headers.etag), cookie: leader.cookie });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('changes the ETag after the geography is replaced through any process', async () => {
    const before = await rawGet(`${t.url}/api/geo/grids`, { cookie: leader.cookie });
    const county = smallCounty();
    county.grids[0]!.name = '城东一网格(调整)';
    await seedCounty(t.app, county);
    const after = await rawGet(`${t.url}/api/geo/grids`, { 'if-none-match': String(before.headers.etag), cookie: leader.cookie });
    expect(after.status).toBe(200);
    expect(after.body.toString()).toContain('城东一网格(调整)');
    await seedCounty(t.app, smallCounty());
  });

  it("gives a grid's leader and workers with their phone numbers", async () => {
    const res = await get(`${t.url}/api/geo/grids/G-B1`);
    expect(res.status).toBe(200);
    const grid = (await res.json()) as GridDetail;
    expect(grid.leader).toEqual({ name: '王庄一网格网格长', phone: '13900000001' });
    expect(grid.workers).toHaveLength(1);
  });

  it('gives a key location with its grid and township names', async () => {
    const location = (await (await get(`${t.url}/api/geo/locations/L-1`)).json()) as LocationDetail;
    expect(location).toMatchObject({ name: '沭阳汽车站', category: 'station', gridName: '城东一网格', townshipName: '沭城街道', lon: 118.62 });
  });

  it('answers 404 naming the id for an unknown grid', async () => {
    const res = await get(`${t.url}/api/geo/grids/G-NOPE`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ field: 'params.id', message: 'no grid with id G-NOPE' });
  });

  it.each([
    ['汽车站', '沭阳汽车站'],
    ['huji', '胡集镇'],
  ])('finds %s by Chinese name or pinyin', async (q, name) => {
    const { results } = (await (await get(`${t.url}/api/geo/search?q=${encodeURIComponent(q)}`)).json()) as SearchResponse;
    expect(results[0]?.name).toBe(name);
  });

  it('finds a grid by its pinyin initials', async () => {
    const { results } = (await (await get(`${t.url}/api/geo/search?q=wzywg`)).json()) as SearchResponse;
    expect(results[0]).toMatchObject({ kind: 'grid', name: '王庄一网格', context: '胡集镇 · 王庄村' });
  });

  it('refuses an empty search with 400 naming the q field', async () => {
    const res = await get(`${t.url}/api/geo/search?q=`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'querystring.q' });
  });
});
