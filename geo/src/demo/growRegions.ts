/**
 * Splits areas of the lattice into regions by growing them from seeds, cheapest cell first, where
 * a cell's cost is its (warped) distance to the seed divided by the seed's weight. Because a cell
 * is only ever claimed from a neighbour of the same region, every region is connected.
 */
import type { HexLattice } from './hexLattice.ts';

export interface Seed {
  cell: number;
  /** Larger weights grow larger regions (a multiplicatively weighted Voronoi diagram). */
  weight?: number;
}

/**
 * Labels each cell with the index of the seed whose region it joins, within its parent area:
 * a seed only grows through cells whose `parent` equals its own cell's parent; cells with parent -1
 * are left at -1. Throws if some parent area has no seed.
 *
 * @example
 * const townshipOf = growRegions(lattice, { parent: countyCells, seeds, warpX, warpY });
 */
export function growRegions(
  lattice: HexLattice,
  options: { parent: Int32Array; seeds: readonly Seed[]; warpX: Float64Array; warpY: Float64Array },
): Int32Array {
  const { parent, seeds, warpX, warpY } = options;
  const { cellCount, neighbours } = lattice;
  const label = new Int32Array(cellCount).fill(-1);
  // Lazy decrease-key: a cell is pushed only when an offer beats its best one so far, and that
  // best offer's region is remembered per cell, so the heap holds just (cost, cell).
  const bestOffer = new Float64Array(cellCount).fill(Infinity);
  const offerRegion = new Int32Array(cellCount);
  const heap = new CostHeap(1024);

  const seedX = new Float64Array(seeds.length);
  const seedY = new Float64Array(seeds.length);
  const seedScale = new Float64Array(seeds.length);
  seeds.forEach((seed, s) => {
    if (parent[seed.cell]! < 0) throw new RangeError(`growRegions: seed ${s} lies outside every parent area`);
    if (bestOffer[seed.cell] === 0) throw new RangeError(`growRegions: seed ${s} shares its cell with another seed`);
    seedX[s] = warpX[seed.cell]!;
    seedY[s] = warpY[seed.cell]!;
    seedScale[s] = 1 / (seed.weight ?? 1);
    bestOffer[seed.cell] = 0;
    offerRegion[seed.cell] = s;
    heap.push(0, seed.cell);
  });

  while (heap.size > 0) {
    const cell = heap.pop();
    if (label[cell] !== -1) continue; // a worse, older offer
    const region = offerRegion[cell]!;
    label[cell] = region;
    const area = parent[cell];
    const sx = seedX[region]!;
    const sy = seedY[region]!;
    const scale = seedScale[region]!;
    for (let k = 0; k < 6; k++) {
      const n = neighbours[cell * 6 + k]!;
      if (n < 0 || label[n] !== -1 || parent[n] !== area) continue;
      const dx = warpX[n]! - sx;
      const dy = warpY[n]! - sy;
      const cost = Math.sqrt(dx * dx + dy * dy) * scale;
      if (cost >= bestOffer[n]!) continue;
      bestOffer[n] = cost;
      offerRegion[n] = region;
      heap.push(cost, n);
    }
  }
  for (let c = 0; c < cellCount; c++) {
    if (parent[c]! >= 0 && label[c] === -1) throw new Error(`growRegions: cell ${c} was not reached: its parent area has no seed`);
  }
  return label;
}

/**
 * One step of Lloyd relaxation: for each region, the cell nearest to the region's mean position.
 * Growing again from these gives more even regions.
 *
 * @example
 * const seeds = centralCells(lattice, label, regionCount).map((cell) => ({ cell }));
 */
export function centralCells(lattice: HexLattice, label: Int32Array, regionCount: number): number[] {
  const sumX = new Float64Array(regionCount);
  const sumY = new Float64Array(regionCount);
  const count = new Float64Array(regionCount);
  for (let c = 0; c < lattice.cellCount; c++) {
    const r = label[c]!;
    if (r < 0) continue;
    sumX[r] = sumX[r]! + lattice.centreX[c]!;
    sumY[r] = sumY[r]! + lattice.centreY[c]!;
    count[r] = count[r]! + 1;
  }
  const best = new Array<number>(regionCount).fill(-1);
  const bestDistance = new Float64Array(regionCount).fill(Infinity);
  for (let c = 0; c < lattice.cellCount; c++) {
    const r = label[c]!;
    if (r < 0) continue;
    const dx = lattice.centreX[c]! - sumX[r]! / count[r]!;
    const dy = lattice.centreY[c]! - sumY[r]! / count[r]!;
    const d = dx * dx + dy * dy;
    if (d < bestDistance[r]!) {
      bestDistance[r] = d;
      best[r] = c;
    }
  }
  return best;
}

/** A binary min-heap of (cost, cell) in typed arrays, growing as needed. */
class CostHeap {
  size = 0;
  private costs: Float64Array;
  private cells: Int32Array;

  constructor(capacity: number) {
    this.costs = new Float64Array(capacity);
    this.cells = new Int32Array(capacity);
  }

  push(cost: number, cell: number): void {
    if (this.size === this.costs.length) {
      const costs = new Float64Array(this.size * 2);
      costs.set(this.costs);
      this.costs = costs;
      const cells = new Int32Array(this.size * 2);
      cells.set(this.cells);
      this.cells = cells;
    }
    const costs = this.costs;
    const cells = this.cells;
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (costs[up]! <= cost) break;
      costs[i] = costs[up]!;
      cells[i] = cells[up]!;
      i = up;
    }
    costs[i] = cost;
    cells[i] = cell;
  }

  /** Removes and returns the cell with the lowest cost. */
  pop(): number {
    const costs = this.costs;
    const cells = this.cells;
    const top = cells[0]!;
    const size = --this.size;
    const cost = costs[size]!;
    const cell = cells[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && costs[child + 1]! < costs[child]!) child++;
      if (costs[child]! >= cost) break;
      costs[i] = costs[child]!;
      cells[i] = cells[child]!;
      i = child;
    }
    costs[i] = cost;
    cells[i] = cell;
    return top;
  }
}
