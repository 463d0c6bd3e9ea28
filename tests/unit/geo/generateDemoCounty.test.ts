import area from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import kinks from '@turf/kinks';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGridIndex, createRandom, generateDemoCounty, LOCATION_CATEGORIES, type DemoCounty } from '../../../geo/src/index.ts';
import type { MultiPolygon, Polygon, Position } from 'geojson';

let demo: DemoCounty;
beforeAll(() => {
  demo = generateDemoCounty();
});

function rings(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}
function bbox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const all = rings(geometry).flat();
  return [Math.min(...all.map((p) => p[0]!)), Math.min(...all.map((p) => p[1]!)), Math.max(...all.map((p) => p[0]!)), Math.max(...all.map((p) => p[1]!))];
}

describe(generateDemoCounty.name, () => {
  it('produces byte-identical data for the same seed and different data for another seed', () => {
    expect(JSON.stringify(generateDemoCounty({ seed: 1 }))).toBe(JSON.stringify(demo));
    const other = generateDemoCounty({ seed: 2 });
    expect(JSON.stringify(other.county)).not.toBe(JSON.stringify(demo.county));
    expect(other.grids).toHaveLength(1855);
  });

  it('has the real county sizes: 40 townships, about 480 villages, 1,855 grids, about 5,000 locations and 300 teams', () => {
    expect(demo.county.name).toBe('沭阳县');
    expect(demo.townships).toHaveLength(40);
    expect(demo.villages).toHaveLength(480);
    expect(demo.grids).toHaveLength(1855);
    expect(demo.locations).toHaveLength(5000);
    expect(demo.teams).toHaveLength(300);
    const members = demo.teams.reduce((sum, team) => sum + team.members.length, 0);
    expect(members).toBeGreaterThan(1700);
    expect(members).toBeLessThan(2500);
  });

  it("names the townships after Shuyang's real streets and towns, each with pinyin", () => {
    const names = demo.townships.map((t) => t.name);
    expect(new Set(names).size).toBe(40);
    for (const name of ['沭城街道', '章集街道', '梦溪街道', '七雄街道', '十字街道', '南湖街道', '湖东街道', '胡集镇', '新河镇', '青伊湖镇', '万匹乡']) {
      expect(names).toContain(name);
    }
    for (const t of demo.townships) expect(t.pinyin).toMatch(/^[a-z]+( [a-z]+)+$/);
    expect(demo.townships.filter((t) => t.kind === 'street')).toHaveLength(7);
  });

  it('uses stable id formats T01, V001, G0001, L00001, O0001 and TM001', () => {
    expect(demo.townships.map((t) => t.id)).toEqual(Array.from({ length: 40 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`));
    for (const v of demo.villages) expect(v.id).toMatch(/^V\d{3}$/);
    for (const g of demo.grids) expect(g.id).toMatch(/^G\d{4}$/);
    for (const l of demo.locations) expect(l.id).toMatch(/^L\d{5}$/);
    for (const o of demo.organisations) expect(o.id).toMatch(/^O\d{4}$/);
    for (const t of demo.teams) expect(t.id).toMatch(/^TM\d{3}$/);
    const all = [demo.townships, demo.villages, demo.grids, demo.locations, demo.organisations, demo.teams].flat().map((x) => x.id);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps the county on the real extent of Shuyang and draws an outline that is not a rectangle', () => {
    const [w, s, e, n] = bbox(demo.county.geometry);
    expect(w).toBeGreaterThanOrEqual(118.5);
    expect(e).toBeLessThanOrEqual(119.1);
    expect(s).toBeGreaterThanOrEqual(33.8);
    expect(n).toBeLessThanOrEqual(34.5);
    const km2 = area(demo.county.geometry) / 1e6;
    expect(km2).toBeGreaterThan(1800);
    expect(km2).toBeLessThan(2800);
    expect(km2 / (((e - w) * 92.1 * (n - s) * 111.2))).toBeLessThan(0.85); // far from filling its box
    expect(demo.county.geometry.coordinates[0]!.length).toBeGreaterThan(100);
  });

  it('draws only valid polygons: closed rings of 4+ positions, exterior counter-clockwise, no self-intersections', () => {
    const shapes = [demo.county.geometry, ...demo.townships.map((t) => t.geometry), ...demo.grids.map((g) => g.geometry)];
    for (const geometry of shapes) {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      for (const polygon of polygons) {
        polygon.forEach((ring, r) => {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          expect(Math.sign(signedArea(ring))).toBe(r === 0 ? 1 : -1);
        });
      }
      expect(kinks(geometry).features).toHaveLength(0);
    }
  });

  it('tiles the county with grids: their areas add up to the county area within 0.5 %', () => {
    const countyArea = area(demo.county.geometry);
    const gridArea = demo.grids.reduce((sum, g) => sum + area(g.geometry), 0);
    expect(Math.abs(gridArea - countyArea) / countyArea).toBeLessThan(0.005);
    const townshipArea = demo.townships.reduce((sum, t) => sum + area(t.geometry), 0);
    expect(Math.abs(townshipArea - countyArea) / countyArea).toBeLessThan(0.005);
  });

  it('puts every random point of the county in exactly one grid and points outside in none', () => {
    const boxes = demo.grids.map((g) => bbox(g.geometry));
    const [w, s, e, n] = bbox(demo.county.geometry);
    const random = createRandom(99);
    let inside = 0;
    for (let i = 0; i < 2000; i++) {
      const p = [random.between(w, e), random.between(s, n)];
      const containing = demo.grids.filter((g, j) => {
        const [gw, gs, ge, gn] = boxes[j]!;
        return p[0]! >= gw && p[0]! <= ge && p[1]! >= gs && p[1]! <= gn && booleanPointInPolygon(p, g.geometry);
      });
      const inCounty = booleanPointInPolygon(p, demo.county.geometry);
      expect(containing).toHaveLength(inCounty ? 1 : 0);
      if (inCounty) inside++;
    }
    expect(inside).toBeGreaterThan(800);
  });

  it('puts each grid inside its township, and each grid in a village of that township', () => {
    const townships = new Map(demo.townships.map((t) => [t.id, t]));
    const villages = new Map(demo.villages.map((v) => [v.id, v]));
    // Every vertex in (or on) the township, and the grids of a township add up to its area.
    const gridArea = new Map<string, number>();
    for (const grid of demo.grids) {
      const township = townships.get(grid.townshipId)!;
      for (const position of rings(grid.geometry).flat()) expect(booleanPointInPolygon(position, township.geometry)).toBe(true);
      gridArea.set(grid.townshipId, (gridArea.get(grid.townshipId) ?? 0) + area(grid.geometry));
      expect(villages.get(grid.villageId!)?.townshipId).toBe(grid.townshipId);
    }
    for (const t of demo.townships) expect(gridArea.get(t.id)! / area(t.geometry)).toBeCloseTo(1, 6);
    for (const t of demo.townships) expect(booleanPointInPolygon(t.label, t.geometry, { ignoreBoundary: true })).toBe(true);
  });

  it('gives neighbouring townships different colours from 0 to 7', () => {
    const edgeOwners = new Map<string, Set<number>>();
    demo.townships.forEach((t, i) => {
      for (const ring of rings(t.geometry)) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const key = [ring[k]!.join(), ring[k + 1]!.join()].sort().join('|');
          (edgeOwners.get(key) ?? edgeOwners.set(key, new Set()).get(key)!).add(i);
        }
      }
    });
    let borders = 0;
    for (const owners of edgeOwners.values()) {
      if (owners.size !== 2) continue;
      const [a, b] = [...owners];
      expect(demo.townships[a!]!.colour).not.toBe(demo.townships[b!]!.colour);
      borders++;
    }
    expect(borders).toBeGreaterThan(100);
    for (const t of demo.townships) expect(t.colour).toBeGreaterThanOrEqual(0), expect(t.colour).toBeLessThanOrEqual(7);
  });

  it('staffs every grid with a leader and one to three workers, and marks about a tenth as key grids', () => {
    for (const grid of demo.grids) {
      expect(grid.leader?.phone).toMatch(/^1390\d{7}$/);
      expect(grid.workers.length).toBeGreaterThanOrEqual(1);
      expect(grid.workers.length).toBeLessThanOrEqual(3);
      expect(grid.name).toMatch(/第\d+网格$/);
    }
    const key = demo.grids.filter((g) => g.key).length;
    expect(key).toBeGreaterThan(100);
    expect(key).toBeLessThan(300);
  });

  it('places key locations in the grid and township that actually contain them, denser in the county seat', () => {
    const index = createGridIndex(demo.grids);
    const grids = new Map(demo.grids.map((g) => [g.id, g]));
    for (const location of demo.locations) {
      const [lon, lat] = location.geometry.type === 'Point' ? location.geometry.coordinates : centre(location.geometry);
      expect(index.gridAt(lon!, lat!)?.id).toBe(location.gridId);
      expect(grids.get(location.gridId!)?.townshipId).toBe(location.townshipId);
      expect(LOCATION_CATEGORIES).toContain(location.category);
      expect([1, 2, 3]).toContain(location.priority);
      expect(location.radius).toBeGreaterThanOrEqual(30);
      expect(location.radius).toBeLessThanOrEqual(300);
    }
    expect(new Set(demo.locations.map((l) => l.name)).size).toBe(demo.locations.length);
    const urban = new Set(demo.townships.filter((t) => t.kind === 'street').map((t) => t.id));
    const urbanShare = demo.locations.filter((l) => urban.has(l.townshipId!)).length / demo.locations.length;
    expect(urbanShare).toBeGreaterThan(0.3); // 7 of 40 townships, about 5 % of the area
    for (const category of LOCATION_CATEGORIES) expect(demo.locations.some((l) => l.category === category)).toBe(true);
    expect(demo.locations.some((l) => l.geometry.type === 'Polygon')).toBe(true);
  });

  it('has a police station, an office and a volunteer team in every township and a committee for every village', () => {
    for (const t of demo.townships) {
      const own = demo.organisations.filter((o) => o.townshipId === t.id);
      expect(own.map((o) => o.kind)).toEqual(expect.arrayContaining(['police_station', 'township_office', 'volunteer_association']));
    }
    expect(demo.organisations.filter((o) => o.kind === 'village_committee')).toHaveLength(demo.villages.length);
    expect(demo.organisations.filter((o) => o.kind === 'security_company').length).toBeGreaterThanOrEqual(3);
  });

  it('assigns each team one to six neighbouring grids of its own township and a unique call sign', () => {
    const grids = new Map(demo.grids.map((g) => [g.id, g]));
    const organisations = new Set(demo.organisations.map((o) => o.id));
    const vertexKeys = (id: string) => new Set(rings(grids.get(id)!.geometry).flat().map((p) => p.join()));
    for (const team of demo.teams) {
      expect(team.gridIds.length).toBeGreaterThanOrEqual(1);
      expect(team.gridIds.length).toBeLessThanOrEqual(6);
      for (const id of team.gridIds) expect(grids.get(id)?.townshipId).toBe(team.townshipId);
      // Connected: every grid after the first touches one of the others.
      if (team.gridIds.length > 1) {
        for (const id of team.gridIds) {
          const mine = vertexKeys(id);
          const touches = team.gridIds.some((other) => other !== id && [...vertexKeys(other)].some((k) => mine.has(k)));
          expect(touches).toBe(true);
        }
      }
      expect(organisations.has(team.organisationId)).toBe(true);
      expect(team.members.length).toBeGreaterThanOrEqual(4);
      for (const m of team.members) expect(m.phone).toMatch(/^1390\d{7}$/);
      expect(team.callSign).toMatch(/^\p{Script=Han}+巡\d{2}$/u);
    }
    expect(new Set(demo.teams.map((t) => t.callSign)).size).toBe(demo.teams.length);
    expect(new Set(demo.teams.map((t) => t.agency))).toEqual(new Set(['police', 'security', 'grid', 'volunteer', 'joint']));
  });
});

function centre(polygon: Polygon): Position {
  const ring = polygon.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length];
}
