import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridsResponse, LocationDetail } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';

const square = (w: number, s: number, size = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]],
});
const gridFeature = (id: string, township: string, w: number, s: number) => ({
  type: 'Feature',
  properties: { id, name: `${id}网格`, township, leader: { name: '王网格长', phone: '13900001111' } },
  geometry: square(w, s),
});
const collection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const BOW_TIE = { type: "Polygon", coordinates: [[[118.6, 33.8], [118.62, 33.82], [118.62, 33.8], [118.6, 33.81], [118.6, 33.8]]] };

function runImport(args: string[], redisUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('importing grids and key locations', () => {
  let t: TestApp;
  let admin: SignedIn;
  let dir: string;
  const post = (path: string, body: string, type = 'application/geo+json') =>
    as(admin)(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  const grids = async () => ((await (await as(admin)(`${t.url}/api/geo/grids`)).json()) as GridsResponse).features;

  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
    admin = await signIn(t, 'admin');
    dir = mkdtempSync(join(tmpdir(), 'lianfang-import-'));
  });
  afterAll(async () => t?.stop());

  it('adds grids by township name, creates a township it does not know, and audits the import', async () => {
    const res = await post('/api/admin/import/grids', collection([gridFeature('N-1', '沭城街道', 118.6, 33.95), gridFeature('N-2', '新河镇', 118.62, 33.95)]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 2, townshipsCreated: ['新河镇'] });
    const all = await grids();
    expect(all).toHaveLength(6);
    expect(all.find((f) => f.properties.id === 'N-1')?.properties.townshipName).toBe('沭城街道');
    expect(all.find((f) => f.properties.id === 'N-2')?.properties.townshipName).toBe('新河镇');
    const [entry] = await t.app.audit.list({ action: 'import', limit: 1 });
    expect(entry).toMatchObject({ actor: admin.username, target: 'grids' });
  });

  it('writes nothing when one feature of many is bad, and names it by index and id', async () => {
    const before = await t.app.geography.store.version();
    const res = await post(
      '/api/admin/import/grids',
      collection([gridFeature('OK-1', '沭城街道', 118.6, 33.97), { type: 'Feature', properties: { id: 'BAD-7', name: '坏网格', township: '沭城街道' }, geometry: BOW_TIE }]),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { index: number; id: string; reason: string }[]; message: string };
    expect(body.errors[0]).toMatchObject({ index: 1, id: 'BAD-7' });
    expect(body.errors[0]!.reason).toMatch(/intersects itself/i);
    expect(body.message).toContain('nothing was imported');
    expect(await t.app.geography.store.version()).toBe(before);
    expect((await grids()).some((f) => f.properties.id === 'OK-1')).toBe(false);
  });

  it('converts GCJ-02 coordinates to WGS-84 when told the file is in GCJ-02', async () => {
    const res = await post('/api/admin/import/grids?crs=gcj02', collection([gridFeature('GCJ-1', '胡集镇', 118.75, 33.95)]));
    expect(res.status).toBe(200);
    const g = (await grids()).find((f) => f.properties.id === 'GCJ-1')!;
    const [lon, lat] = (g.geometry.coordinates[0] as number[][])[0]!;
    // GCJ-02 is offset a few hundred metres from WGS-84 in Jiangsu: stored coordinates moved back.
    expect(lon).not.toBeCloseTo(118.75, 3);
    expect(Math.abs(lon! - 118.75)).toBeLessThan(0.01);
    expect(Math.abs(lat! - 33.95)).toBeLessThan(0.01);
  });

  it('imports key locations from CSV and places each in the grid it lies in', async () => {
    const csv = '\uFEFFid,name,category,lon,lat,priority,radius\nC-1,"城东菜市场, 北门",market,118.625,33.85,1,80\n';
    const res = await post('/api/admin/import/locations', csv, 'text/csv');
    expect(res.status).toBe(200);
    const loc = (await (await as(admin)(`${t.url}/api/geo/locations/C-1`)).json()) as LocationDetail;
    expect(loc).toMatchObject({ name: '城东菜市场, 北门', category: 'market', gridId: 'G-A1', gridName: '城东一网格', townshipName: '沭城街道' });
  });

  it('keeps answering /api/health while a 20,000-feature file is validated', async () => {
    const features = Array.from({ length: 20_000 }, (_, i) => gridFeature(`BIG-${i}`, '沭城街道', 118.6 + (i % 200) * 0.0005, 34 + Math.floor(i / 200) * 0.0005));
    const big = collection(features.map((f) => ({ ...f, geometry: square(f.geometry.coordinates[0]![0]![0]!, f.geometry.coordinates[0]![0]![1]!, 0.0004) })));
    const order: string[] = [];
    const importing = post('/api/admin/import/grids', big).then(async (r) => {
      order.push(`import ${r.status}`);
      return r.json();
    });
    await new Promise((r) => setTimeout(r, 50)); // let the upload start
    const health = await fetch(`${t.url}/api/health`);
    order.push(`health ${health.status}`);
    const result = (await importing) as { imported: number };
    expect(order).toEqual(['health 200', 'import 200']);
    expect(result.imported).toBe(20_000);
  });

  it('refuses a coordinator with 403 before reading the file', async () => {
    const coordinator = await signIn(t, 'coordinator');
    const res = await as(coordinator)(`${t.url}/api/admin/import/grids`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('npm run import exits 1 with a readable report on a bad file, and 0 on a good one', async () => {
    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, collection([{ type: 'Feature', properties: { id: 'X', name: '反了', township: '胡集镇' }, geometry: { type: 'Polygon', coordinates: [[[33.8, 118.6], [33.81, 118.6], [33.81, 118.61], [33.8, 118.6]]] } }]));
    const failed = await runImport(['grids', bad], t.redis.url);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/nothing was imported/);
    expect(failed.out).toMatch(/feature 0 \(id X\)/);
    expect(failed.out).toMatch(/swapped/i);

    const good = join(dir, 'good.geojson');
    writeFileSync(good, collection([gridFeature('CLI-1', '胡集镇', 118.77, 33.95)]));
    const ok = await runImport(['grids', good], t.redis.url);
    expect(ok.out).toMatch(/imported 1 grids/);
    expect(ok.code).toBe(0);
    expect((await grids()).some((f) => f.properties.id === 'CLI-1')).toBe(true);
  });
});
