/**
 * The fine hexagonal lattice the demo county is built from. Every region (county, township, grid)
 * is a union of its cells, so neighbours share exactly the same vertices: no gaps, no overlaps.
 * Hexagons rather than squares because three cells meet at every vertex, so a region can never
 * touch itself at a single point (which would make an invalid polygon).
 *
 * Layout: pointy-top cells in rows; in "half units" a cell centre sits at X = 2·col + (row & 1),
 * Y = 3·row, and its vertices at X ± 1, Y ± 1 and X, Y ± 2. One half unit is √3/2·side metres
 * across and side/2 metres up.
 */

/** Vertex offsets in half units, counter-clockwise from the north-east corner. */
const VERTEX_DX = [1, 0, -1, -1, 0, 1] as const;
const VERTEX_DY = [1, 2, 1, -1, -2, -1] as const;
/** Offset of the neighbour across edge k (from vertex k to vertex k + 1), in half units. */
const NEIGHBOUR_DX = [1, -1, -2, -1, 1, 2] as const;
const NEIGHBOUR_DY = [3, 3, 0, -3, -3, 0] as const;

export interface HexLattice {
  /** Side of a hexagon in metres. */
  side: number;
  cols: number;
  rows: number;
  cellCount: number;
  /** Local metres (east, north) of each cell centre, from the lattice origin. */
  centreX: Float64Array;
  centreY: Float64Array;
  /** Neighbour across edge k of cell c at [c * 6 + k], or -1 outside the lattice. */
  neighbours: Int32Array;
  /** Local metres of vertex k of cell c (jittered, identical for every cell sharing it). */
  vertexX(cell: number, k: number): number;
  vertexY(cell: number, k: number): number;
  /** A number identifying vertex k of cell c, the same from every cell sharing it. */
  vertexKey(cell: number, k: number): number;
}

/** Deterministic hash of two integers and a seed to [0, 1). */
function hash01(a: number, b: number, seed: number): number {
  let h = Math.imul(a, 0x27d4eb2d) ^ Math.imul(b, 0x165667b1) ^ Math.imul(seed, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Builds a lattice covering [minX, maxX] × [minY, maxY] local metres with hexagons of the given
 * side. Vertices are jittered by up to `jitter`·side (keep it under 0.15 so cells stay convex).
 *
 * @example
 * const lattice = createHexLattice({ minX: -1000, minY: -1000, maxX: 1000, maxY: 1000, side: 100, jitter: 0.1, seed: 1 });
 */
export function createHexLattice(options: {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  side: number;
  jitter: number;
  seed: number;
}): HexLattice {
  const { minX, minY, maxX, maxY, side, jitter, seed } = options;
  if (!(side > 0) || !(maxX > minX) || !(maxY > minY)) {
    throw new RangeError(`createHexLattice: needs side > 0 and a non-empty extent, got ${JSON.stringify(options)}`);
  }
  const unitX = (Math.sqrt(3) / 2) * side;
  const unitY = side / 2;
  const cols = Math.ceil((maxX - minX) / (2 * unitX)) + 2;
  const rows = Math.ceil((maxY - minY) / (3 * unitY)) + 2;
  const cellCount = cols * rows;
  const centreX = new Float64Array(cellCount);
  const centreY = new Float64Array(cellCount);
  const neighbours = new Int32Array(cellCount * 6);
  const hx = new Int32Array(cellCount);
  const hy = new Int32Array(cellCount);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const c = row * cols + col;
      const X = 2 * col + (row & 1);
      const Y = 3 * row;
      hx[c] = X;
      hy[c] = Y;
      centreX[c] = minX - unitX + X * unitX;
      centreY[c] = minY - 3 * unitY + Y * unitY;
      for (let k = 0; k < 6; k++) {
        const nRow = row + NEIGHBOUR_DY[k]! / 3;
        const nX = X + NEIGHBOUR_DX[k]!;
        const nCol = (nX - (nRow & 1)) / 2;
        neighbours[c * 6 + k] = nRow >= 0 && nRow < rows && nCol >= 0 && nCol < cols ? nRow * cols + nCol : -1;
      }
    }
  }
  const originX = minX - unitX;
  const originY = minY - 3 * unitY;
  const amplitude = jitter * side;
  return {
    side,
    cols,
    rows,
    cellCount,
    centreX,
    centreY,
    neighbours,
    vertexX: (cell, k) => {
      const X = hx[cell]! + VERTEX_DX[k]!;
      const Y = hy[cell]! + VERTEX_DY[k]!;
      return originX + X * unitX + (hash01(X, Y, seed) * 2 - 1) * amplitude;
    },
    vertexY: (cell, k) => {
      const X = hx[cell]! + VERTEX_DX[k]!;
      const Y = hy[cell]! + VERTEX_DY[k]!;
      return originY + Y * unitY + (hash01(X, Y, seed + 1) * 2 - 1) * amplitude;
    },
    vertexKey: (cell, k) => (hx[cell]! + VERTEX_DX[k]! + 1) + (hy[cell]! + VERTEX_DY[k]! + 2) * (2 * cols + 4),
  };
}
