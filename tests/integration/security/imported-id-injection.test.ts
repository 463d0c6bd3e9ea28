/**
 * Attack (or a careless file): an imported id holding a comma, a tab or a space. Ids travel in
 * Redis keys and in the ingest script's `id:distance,…` lists, so such an id would split a
 * position's key-location list and misattribute visits. The import refuses the whole file and
 * names the feature (or CSV row) by index and id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';

type Rejected = { message: string; errors: { index: number; id?: string; field?: string; reason: string }[] };

const point = (id: unknown, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { id, name: '城东菜市场', category: 'market', ...properties },
  geometry: { type: 'Point', coordinates: [118.625, 33.85] },
});
const collection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('imported ids with separator characters', () => {
  let t: TestApp;
  let admin: SignedIn;
  const post = (path: string, body: string, type = 'application/geo+json') => as(admin)(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
    admin = await signIn(t, 'admin');
  });
  afterAll(async () => t?.stop());

  it.each([
    ['a comma', 'L-1,L-2'],
    ['a tab', 'L-1\tX'],
    ['a space', 'L 1'],
    ['a newline', 'L-1\nL-2'],
    ['Redis glob characters', 'L-*'],
  ])('refuses a key location whose id holds %s, importing none of the file, naming its index and id', async (_what, id) => {
    const before = await t.app.geography.store.version();
    const res = await post('/api/admin/import/locations', collection([point('OK-1'), point(id)]));
    expect(res.status).toBe(400);
    const body = (await res.json()) as Rejected;
    expect(body.errors).toEqual([{ index: 1, id, field: 'id', reason: expect.stringContaining('may hold only letters, digits and - _ . :') }]);
    expect(body.message).toContain('nothing was imported');
    expect(body.message).toContain('feature 1');
    expect(await t.app.geography.store.version()).toBe(before);
  });

  it('refuses a CSV row whose id holds a tab, and a grid reference with a comma', async () => {
    const csv = 'id,name,category,lon,lat,grid_id\nC-1,菜市场,market,118.625,33.85,G-A1\n"C\t2",车站,station,118.626,33.85,\nC-3,旅馆,hotel,118.627,33.85,"G-A1,G-A2"\n';
    const res = await post('/api/admin/import/locations', csv, 'text/csv');
    expect(res.status).toBe(400);
    const body = (await res.json()) as Rejected;
    expect(body.errors.map((e) => [e.id, e.field])).toEqual([
      ['C\t2', 'id'],
      ['C-3', 'gridId'],
    ]);
  });

  it('still imports ids of letters, digits and - _ . : (administrative codes, GUIDs, namespaced ids)', async () => {
    const ids = ['321322-001', 'loc_7.b', 'suqian:shuyang:L9', '4f1c2a9e-0b7d-4e8a-9c61-1d2e3f4a5b6c'];
    const res = await post('/api/admin/import/locations', collection(ids.map((id) => point(id))));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 4 });
  });
});
