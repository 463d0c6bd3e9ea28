/**
 * The demo county: a deterministic, realistic-sized stand-in for Shuyang County (沭阳县) on its real
 * extent (118.5–119.1 E, 33.8–34.5 N), so the map, the coverage engine and the simulator have
 * something true to scale to work on without real data. Same seed, same bytes, every run.
 */
import { createRandom } from './createRandom.ts';
import { colourRegions } from './demo/colourRegions.ts';
import { divideCounty, ORIGIN_LAT, ORIGIN_LON, type CountyLayout } from './demo/divideCounty.ts';
import { formTeams } from './demo/formTeams.ts';
import { listOrganisations } from './demo/listOrganisations.ts';
import { COMMUNITY_STEMS, COUNTY_NAME, shortName, TOWNSHIP_NAMES, VILLAGE_STEMS, VILLAGE_SUFFIXES } from './demo/names.ts';
import { createPeople } from './demo/people.ts';
import { placeLocations } from './demo/placeLocations.ts';
import { traceRegions } from './demo/traceRegions.ts';
import { METRES_PER_DEGREE } from './distanceMetres.ts';
import type { Random } from './createRandom.ts';
import type { DemoCounty, DemoTownship, Grid, LonLat, Village } from './types.ts';
import type { Polygon } from 'geojson';

/** The sizes of the real county (see DOMAIN.md). */
const TOWNSHIPS = 40;
const URBAN_STREETS = 7;
const VILLAGES = 480;
const GRIDS = 1855;
const TEAMS = 300;
/** Hexagon side of the lattice, metres: small enough for 0.2 km² urban grids, big enough to be fast. */
const CELL_SIDE = 120;
/** Share of grids marked key (重点网格). */
const KEY_GRID_SHARE = 0.1;

/**
 * Generates the demo county: outline, 40 townships, ~480 villages, 1,855 grids tiling the county
 * exactly, ~5,000 key locations, the organisations and ~300 patrol teams.
 *
 * Ids: townships T01–T40, villages V001–V480, grids G0001–G1855, locations L00001–L05000,
 * organisations O0001…, teams TM001–TM300. Coordinates are WGS-84 rounded to 6 decimals.
 *
 * @example
 * const demo = generateDemoCounty();
 * demo.grids.length; // 1855
 * generateDemoCounty({ seed: 2 }); // another, equally plausible county
 */
export function generateDemoCounty(options: { seed?: number } = {}): DemoCounty {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new TypeError(`generateDemoCounty: seed must be an integer, got ${seed}`);
  const random = createRandom(seed);
  const layout = divideCounty(random, {
    townshipCount: TOWNSHIPS,
    urbanCount: URBAN_STREETS,
    villageCount: VILLAGES,
    gridCount: GRIDS,
    cellSide: CELL_SIDE,
  });
  const { lattice } = layout;
  const metresPerDegreeLon = METRES_PER_DEGREE * Math.cos((ORIGIN_LAT * Math.PI) / 180);
  const toLonLat = (x: number, y: number): LonLat => [round6(ORIGIN_LON + x / metresPerDegreeLon), round6(ORIGIN_LAT + y / METRES_PER_DEGREE)];
  const cellLonLat = (cell: number): LonLat => toLonLat(lattice.centreX[cell]!, lattice.centreY[cell]!);

  const trace = (label: Int32Array, regionCount: number) => traceRegions(lattice, { label, regionCount, fine: layout.grid, toLonLat });
  const countyGeometry = trace(layout.inCounty, 1)[0]!;
  if (countyGeometry.type !== 'Polygon') throw new Error('generateDemoCounty: the county outline came out in several pieces');
  const townshipGeometry = trace(layout.township, TOWNSHIPS);
  const gridGeometry = trace(layout.grid, GRIDS);

  const colours = colourRegions(regionNeighbours(layout, layout.township, TOWNSHIPS), { colours: 8 });
  const labels = deepestCells(layout, layout.township, TOWNSHIPS);
  const townships: DemoTownship[] = TOWNSHIP_NAMES.map(([name, pinyin, kind], t) => ({
    id: 'T' + String(t + 1).padStart(2, '0'),
    name,
    pinyin,
    kind,
    geometry: townshipGeometry[t]!,
    label: cellLonLat(labels[t]!),
    colour: colours[t]!,
  }));

  const villages = nameVillages(random, layout, townships);
  const person = createPeople(random);
  const gridNumberInVillage = new Map<number, number>();
  const grids: Grid[] = layout.gridVillage.map((v, g) => {
    const n = (gridNumberInVillage.get(v) ?? 0) + 1;
    gridNumberInVillage.set(v, n);
    const village = villages[v]!;
    return {
      id: 'G' + String(g + 1).padStart(4, '0'),
      name: `${village.name}第${n}网格`,
      townshipId: village.townshipId,
      villageId: village.id,
      leader: person(),
      workers: Array.from({ length: random.int(1, 3) }, person),
      geometry: gridGeometry[g]!,
    };
  });

  const locations = placeLocations(random, layout, {
    urbanCount: URBAN_STREETS,
    townshipNames: townships.map((t) => t.name),
    townshipShort: townships.map((t) => shortName(t.name)),
    villageNames: villages.map((v) => v.name),
    gridIds: grids.map((g) => g.id),
    townshipIds: townships.map((t) => t.id),
    toLonLat,
  });

  // Key grids: those holding the most important places, first come first served, about 10 %.
  const gridIndex = new Map(grids.map((g, i) => [g.id, i]));
  const keyBudget = Math.round(GRIDS * KEY_GRID_SHARE);
  let keyCount = 0;
  for (const priority of [1, 2] as const) {
    for (const location of locations) {
      if (keyCount >= keyBudget) break;
      if (location.priority !== priority || !['station', 'hospital', 'crowded', 'school'].includes(location.category)) continue;
      const grid = grids[gridIndex.get(location.gridId!)!]!;
      if (!grid.key) {
        grid.key = true;
        keyCount++;
      }
    }
  }

  const directory = listOrganisations(townships, villages);
  const teams = formTeams(random, {
    teamCount: TEAMS,
    townships,
    grids,
    gridNeighbours: regionNeighbours(layout, layout.grid, GRIDS),
    villageIndexOfGrid: layout.gridVillage,
    directory,
    person,
  });

  return {
    county: { name: COUNTY_NAME, geometry: countyGeometry as Polygon },
    townships,
    villages,
    grids,
    locations,
    organisations: directory.organisations,
    teams,
  };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Urban streets are made of communities (社区); each town has a community at its centre, villages (村) around. */
function nameVillages(random: Random, layout: CountyLayout, townships: readonly DemoTownship[]): Village[] {
  const used = new Set<string>();
  const fresh = (make: () => string): string => {
    for (;;) {
      const name = make();
      if (!used.has(name)) return (used.add(name), name);
    }
  };
  return layout.villageTownship.map((t, v) => {
    const township = townships[t]!;
    const urban = township.kind === 'street';
    const seat = layout.villageIsSeat[v]!;
    const id = 'V' + String(v + 1).padStart(3, '0');
    if (urban) return { id, name: fresh(() => random.pick(COMMUNITY_STEMS) + '社区'), townshipId: township.id, kind: 'community' };
    if (seat) return { id, name: fresh(() => shortName(township.name) + '社区'), townshipId: township.id, kind: 'community' };
    return { id, name: fresh(() => random.pick(VILLAGE_STEMS) + random.pick(VILLAGE_SUFFIXES)), townshipId: township.id, kind: 'village' };
  });
}

/** For each region, the regions sharing a cell edge with it, in ascending order. */
function regionNeighbours(layout: CountyLayout, label: Int32Array, regionCount: number): number[][] {
  const sets = Array.from({ length: regionCount }, () => new Set<number>());
  const { neighbours, cellCount } = layout.lattice;
  for (let c = 0; c < cellCount; c++) {
    const a = label[c]!;
    if (a < 0) continue;
    for (let k = 0; k < 6; k++) {
      const n = neighbours[c * 6 + k]!;
      if (n < 0) continue;
      const b = label[n]!;
      if (b >= 0 && b !== a) sets[a]!.add(b);
    }
  }
  return sets.map((set) => [...set].sort((x, y) => x - y));
}

/** For each region, the cell farthest (in steps) from its boundary: where its label goes. */
function deepestCells(layout: CountyLayout, label: Int32Array, regionCount: number): number[] {
  const { neighbours, cellCount } = layout.lattice;
  const depth = new Int32Array(cellCount).fill(-1);
  const queue: number[] = [];
  for (let c = 0; c < cellCount; c++) {
    if (label[c]! < 0) continue;
    for (let k = 0; k < 6; k++) {
      const n = neighbours[c * 6 + k]!;
      if (n < 0 || label[n] !== label[c]) {
        depth[c] = 0;
        queue.push(c);
        break;
      }
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i]!;
    for (let k = 0; k < 6; k++) {
      const n = neighbours[c * 6 + k]!;
      if (n >= 0 && depth[n] === -1 && label[n] === label[c]) {
        depth[n] = depth[c]! + 1;
        queue.push(n);
      }
    }
  }
  const best = new Array<number>(regionCount).fill(-1);
  for (let c = 0; c < cellCount; c++) {
    const r = label[c]!;
    if (r >= 0 && (best[r]! < 0 || depth[c]! > depth[best[r]!]!)) best[r] = c;
  }
  return best;
}
