/**
 * Lays out the demo county on a fine hexagonal lattice: an irregular outline, then townships,
 * villages and grids grown inside one another. Only labels per cell come out of here; polygons,
 * names and people are added by generateDemoCounty.
 */
import type { Random } from '../createRandom.ts';
import { apportion } from './apportion.ts';
import { centralCells, growRegions, type Seed } from './growRegions.ts';
import { createHexLattice, type HexLattice } from './hexLattice.ts';
import { createValueNoise } from './valueNoise.ts';

/** Local metres east/north of the lattice origin, which sits at this lon/lat. */
export const ORIGIN_LON = 118.8;
export const ORIGIN_LAT = 34.15;
/** The county seat (县城), where the seven streets are: local metres. */
const SEAT_X = -1500;
const SEAT_Y = -4000;
/** Radius of the urban area the seven streets share, metres (≈ 125 km²). */
const URBAN_RADIUS = 6300;

export interface CountyLayout {
  lattice: HexLattice;
  /** 0 for cells in the county, -1 outside. */
  inCounty: Int32Array;
  township: Int32Array;
  village: Int32Array;
  grid: Int32Array;
  /** Cell of each township's seat (its town centre). */
  townshipSeat: number[];
  /** Township of each village; villages are numbered township by township. */
  villageTownship: number[];
  /** Whether a village is its township's seat (a community at the town centre). */
  villageIsSeat: boolean[];
  /** Village of each grid; grids are numbered village by village. */
  gridVillage: number[];
  /** Seed cell of each grid: deep inside it. */
  gridSeed: number[];
}

export interface LayoutOptions {
  townshipCount: number;
  /** How many of the first townships are urban streets around the county seat. */
  urbanCount: number;
  villageCount: number;
  gridCount: number;
  /** Hexagon side in metres. */
  cellSide: number;
}

/**
 * Builds the county's cell labels.
 *
 * @example
 * const layout = divideCounty(createRandom(1), { townshipCount: 40, urbanCount: 7, villageCount: 480, gridCount: 1855, cellSide: 120 });
 */
export function divideCounty(random: Random, options: LayoutOptions): CountyLayout {
  const { townshipCount, urbanCount, villageCount, gridCount, cellSide } = options;
  const seed = Math.floor(random.next() * 2 ** 31);
  const lattice = createHexLattice({ minX: -28000, maxX: 28000, minY: -39000, maxY: 39000, side: cellSide, jitter: 0.12, seed });
  const { cellCount, centreX, centreY } = lattice;

  const inCounty = outline(lattice, random);

  // Townships: the seven streets share a (wobbly) disc around the county seat, the rural towns the
  // rest; both are grown from spread seeds and relaxed twice, the seat street staying central.
  const warp = (amplitude: number, wavelength: number) => warpCells(lattice, inCounty, random, amplitude, wavelength);
  const [wx1, wy1] = warp(2500, 9000);
  const area = new Int32Array(cellCount).fill(-1);
  const urbanNoise = createValueNoise(random.int(0, 2 ** 30));
  for (let c = 0; c < cellCount; c++) {
    if (inCounty[c]! < 0) continue;
    const dx = centreX[c]! - SEAT_X;
    const dy = centreY[c]! - SEAT_Y;
    const wobble = 1 + 0.18 * urbanNoise(centreX[c]! / 3000, centreY[c]! / 3000);
    area[c] = Math.hypot(dx, dy) < URBAN_RADIUS * wobble ? 0 : 1;
    if (area[c] === 0) {
      // Streets are small: a county-scale warp would stretch them into strips.
      wx1[c] = centreX[c]! + (wx1[c]! - centreX[c]!) * 0.9;
      wy1[c] = centreY[c]! + (wy1[c]! - centreY[c]!) * 0.9;
    }
  }
  const seatCell = nearestCell(lattice, inCounty, SEAT_X, SEAT_Y);
  const urbanSeeds = bestCandidates(lattice, random, cellsWhere(area, 0), urbanCount - 1, 20, [seatCell]);
  const ruralSeeds = bestCandidates(lattice, random, cellsWhere(area, 1), townshipCount - urbanCount, 20, []);
  const townshipSeeds: Seed[] = [seatCell, ...urbanSeeds, ...ruralSeeds].map((cell) => ({ cell }));
  let township = growRegions(lattice, { parent: area, seeds: townshipSeeds, warpX: wx1, warpY: wy1 });
  for (let round = 0; round < 2; round++) {
    const central = centralCells(lattice, township, townshipCount);
    // Only rural towns relax: relaxed streets settle into a too-perfect honeycomb.
    for (let t = urbanCount; t < townshipCount; t++) townshipSeeds[t] = { cell: central[t]! };
    township = growRegions(lattice, { parent: area, seeds: townshipSeeds, warpX: wx1, warpY: wy1 });
  }
  const townshipSeat = townshipSeeds.map((s) => s.cell);
  const townshipCells = bucket(township, townshipCount);

  // Grids go where people are: urban streets are about five times denser.
  const urbanDensity = 5;
  const gridsPerTownship = apportion(
    gridCount,
    townshipCells.map((cells, t) => cells.length * (t < urbanCount ? urbanDensity : 1)),
    { min: 8, max: townshipCells.map((cells) => Math.floor(cells.length / 4)) },
  );
  const villagesPerTownship = apportion(
    villageCount,
    gridsPerTownship.map((g, t) => g / (t < urbanCount ? 6 : 3.5)),
    { min: 3, max: gridsPerTownship },
  );

  // Villages: the seat village at the town centre, the others spread out, one Lloyd step.
  const [wx2, wy2] = warp(500, 2500);
  const villageSeeds: Seed[] = [];
  const villageTownship: number[] = [];
  const villageIsSeat: boolean[] = [];
  for (let t = 0; t < townshipCount; t++) {
    const seat = townshipSeat[t]!;
    const others = bestCandidates(lattice, random, townshipCells[t]!, villagesPerTownship[t]! - 1, 12, [seat]);
    [seat, ...others].forEach((cell, i) => {
      villageSeeds.push({ cell });
      villageTownship.push(t);
      villageIsSeat.push(i === 0);
    });
  }
  let village = growRegions(lattice, { parent: township, seeds: villageSeeds, warpX: wx2, warpY: wy2 });
  const villageCentres = centralCells(lattice, village, villageSeeds.length);
  villageSeeds.forEach((s, v) => {
    if (!villageIsSeat[v]) s.cell = villageCentres[v]!;
  });
  village = growRegions(lattice, { parent: township, seeds: villageSeeds, warpX: wx2, warpY: wy2 });
  const villageCells = bucket(village, villageSeeds.length);

  // Grids: denser at the town centre.
  const [wx3, wy3] = warp(120, 700);
  const gridSeeds: Seed[] = [];
  const gridVillage: number[] = [];
  let firstVillage = 0;
  for (let t = 0; t < townshipCount; t++) {
    const villages = villagesPerTownship[t]!;
    const cells = villageCells.slice(firstVillage, firstVillage + villages);
    const perVillage = apportion(
      gridsPerTownship[t]!,
      cells.map((c, i) => c.length * (villageIsSeat[firstVillage + i] && t >= urbanCount ? 3 : 1)),
      { min: 1, max: cells.map((c) => Math.max(1, Math.floor(c.length / 3))) },
    );
    perVillage.forEach((count, i) => {
      const v = firstVillage + i;
      for (const cell of bestCandidates(lattice, random, cells[i]!, count, 20, [])) {
        gridSeeds.push({ cell });
        gridVillage.push(v);
      }
    });
    firstVillage += villages;
  }
  let grid = growRegions(lattice, { parent: village, seeds: gridSeeds, warpX: wx3, warpY: wy3 });
  for (let round = 0; round < 2; round++) {
    centralCells(lattice, grid, gridSeeds.length).forEach((cell, g) => (gridSeeds[g]!.cell = cell));
    grid = growRegions(lattice, { parent: village, seeds: gridSeeds, warpX: wx3, warpY: wy3 });
  }

  if (cellCount !== inCounty.length) throw new Error('divideCounty: lattice and labels disagree');
  return {
    lattice,
    inCounty,
    township,
    village,
    grid,
    townshipSeat,
    villageTownship,
    villageIsSeat,
    gridVillage,
    gridSeed: gridSeeds.map((s) => s.cell),
  };
}

/**
 * The county's cells: inside a rotated ellipse whose radius wanders with a few random harmonics,
 * with enclosed holes filled and stray islands dropped, so the county is one piece without holes.
 */
function outline(lattice: HexLattice, random: Random): Int32Array {
  const harmonics = [2, 3, 4, 5, 7].map((k) => ({ k, amplitude: random.between(0.015, 0.05) * (k <= 3 ? 1.3 : 1), phase: random.between(0, 2 * Math.PI) }));
  const noise = createValueNoise(random.int(0, 2 ** 30));
  const rotation = random.between(0.1, 0.25);
  const [cos, sin] = [Math.cos(rotation), Math.sin(rotation)];
  const inside = new Int32Array(lattice.cellCount).fill(-1);
  for (let c = 0; c < lattice.cellCount; c++) {
    const x = lattice.centreX[c]!;
    const y = lattice.centreY[c]!;
    const u = (x * cos + y * sin) / 22500;
    const v = (-x * sin + y * cos) / 32500;
    const r2 = u * u + v * v;
    // The harmonics and noise move the edge by at most ±0.3: skip the trigonometry far from it.
    if (r2 > 1.85) continue;
    if (r2 < 0.4) {
      inside[c] = 0;
      continue;
    }
    const theta = Math.atan2(v, u);
    let radius = 1 + 0.05 * noise(Math.cos(theta) * 4 + 10, Math.sin(theta) * 4 + 10);
    for (const h of harmonics) radius += h.amplitude * Math.sin(h.k * theta + h.phase);
    if (r2 < radius * radius) inside[c] = 0;
  }
  // Keep the largest connected piece, then fill whatever it encloses.
  const piece = largestComponent(lattice, inside);
  const outside = new Uint8Array(lattice.cellCount);
  const queue: number[] = [];
  for (let c = 0; c < lattice.cellCount; c++) {
    const onEdge = lattice.neighbours.subarray(c * 6, c * 6 + 6).some((n) => n < 0);
    if (onEdge && piece[c] !== 0) {
      outside[c] = 1;
      queue.push(c);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i]!;
    for (let k = 0; k < 6; k++) {
      const n = lattice.neighbours[c * 6 + k]!;
      if (n >= 0 && !outside[n] && piece[n] !== 0) {
        outside[n] = 1;
        queue.push(n);
      }
    }
  }
  const county = new Int32Array(lattice.cellCount).fill(-1);
  for (let c = 0; c < lattice.cellCount; c++) if (!outside[c]) county[c] = 0;
  return county;
}

function largestComponent(lattice: HexLattice, inside: Int32Array): Int32Array {
  const component = new Int32Array(lattice.cellCount).fill(-1);
  const queue = new Int32Array(lattice.cellCount);
  let best = -1;
  let bestSize = 0;
  let id = 0;
  for (let start = 0; start < lattice.cellCount; start++) {
    if (inside[start] !== 0 || component[start] !== -1) continue;
    let length = 0;
    queue[length++] = start;
    component[start] = id;
    for (let i = 0; i < length; i++) {
      const c = queue[i]!;
      for (let k = 0; k < 6; k++) {
        const n = lattice.neighbours[c * 6 + k]!;
        if (n >= 0 && inside[n] === 0 && component[n] === -1) {
          component[n] = id;
          queue[length++] = n;
        }
      }
    }
    if (length > bestSize) {
      bestSize = length;
      best = id;
    }
    id++;
  }
  const result = new Int32Array(lattice.cellCount).fill(-1);
  for (let c = 0; c < lattice.cellCount; c++) if (component[c] === best) result[c] = 0;
  return result;
}

/** Per-cell positions displaced by smooth noise, so grown boundaries meander. */
function warpCells(lattice: HexLattice, inCounty: Int32Array, random: Random, amplitude: number, wavelength: number): [Float64Array, Float64Array] {
  const nx = createValueNoise(random.int(0, 2 ** 30));
  const ny = createValueNoise(random.int(0, 2 ** 30));
  const x = new Float64Array(lattice.cellCount);
  const y = new Float64Array(lattice.cellCount);
  for (let c = 0; c < lattice.cellCount; c++) {
    if (inCounty[c]! < 0) continue;
    const cx = lattice.centreX[c]!;
    const cy = lattice.centreY[c]!;
    x[c] = cx + amplitude * nx(cx / wavelength, cy / wavelength);
    y[c] = cy + amplitude * ny(cx / wavelength, cy / wavelength);
  }
  return [x, y];
}

function nearestCell(lattice: HexLattice, inCounty: Int32Array, x: number, y: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let c = 0; c < lattice.cellCount; c++) {
    if (inCounty[c]! < 0) continue;
    const d = (lattice.centreX[c]! - x) ** 2 + (lattice.centreY[c]! - y) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

function cellsWhere(label: Int32Array, value: number): number[] {
  const cells: number[] = [];
  for (let c = 0; c < label.length; c++) if (label[c] === value) cells.push(c);
  return cells;
}

/** Cells of each region, in cell order. */
export function bucket(label: Int32Array, regionCount: number): number[][] {
  const cells: number[][] = Array.from({ length: regionCount }, () => []);
  for (let c = 0; c < label.length; c++) if (label[c]! >= 0) cells[label[c]!]!.push(c);
  return cells;
}

/**
 * Mitchell's best-candidate sampling: `count` distinct cells from `pool`, each the farthest (of
 * `candidates` random tries) from those already chosen and from `existing`.
 */
function bestCandidates(lattice: HexLattice, random: Random, pool: number[], count: number, candidates: number, existing: number[]): number[] {
  if (count > pool.length) throw new RangeError(`bestCandidates: asked for ${count} cells from ${pool.length}`);
  const chosen: number[] = [];
  const taken = new Set(existing);
  const all = [...existing];
  while (chosen.length < count) {
    let best = -1;
    let bestDistance = -1;
    for (let i = 0; i < candidates; i++) {
      const c = random.pick(pool);
      if (taken.has(c)) continue;
      let nearest = Infinity;
      for (const other of all) {
        const d = (lattice.centreX[c]! - lattice.centreX[other]!) ** 2 + (lattice.centreY[c]! - lattice.centreY[other]!) ** 2;
        if (d < nearest) nearest = d;
      }
      if (nearest > bestDistance) {
        bestDistance = nearest;
        best = c;
      }
    }
    if (best < 0) continue; // every try hit a taken cell; try again
    chosen.push(best);
    taken.add(best);
    all.push(best);
  }
  return chosen;
}
