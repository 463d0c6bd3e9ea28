/**
 * Turns labelled lattice cells into GeoJSON polygons. Each region's boundary is walked along the
 * cell edges it shares with other labels, then smoothed by cutting every corner that is not a
 * junction (a vertex where three different grids meet) at its edges' midpoints. Vertices and
 * midpoints are functions of the lattice alone, so two neighbours emit exactly the same coordinates
 * for the boundary they share, and the cut corners never cross one another.
 */
import type { LonLat } from '../types.ts';
import type { HexLattice } from './hexLattice.ts';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Polygons of regions 0 … regionCount-1 of `label` (cells at -1 belong to none). `fine` is the
 * finest labelling (the grids): junctions are taken from it, so coarser regions (townships, the
 * county) reuse exactly the grids' vertices. `toLonLat` maps local metres to rounded lon/lat.
 *
 * @example
 * const [county] = traceRegions(lattice, { label: inCounty, regionCount: 1, fine: gridOf, toLonLat });
 */
export function traceRegions(
  lattice: HexLattice,
  options: {
    label: Int32Array;
    regionCount: number;
    fine: Int32Array;
    toLonLat: (x: number, y: number) => LonLat;
  },
): Array<Polygon | MultiPolygon> {
  const { label, regionCount, fine, toLonLat } = options;
  const { cellCount, neighbours } = lattice;

  // Cells of each region, by counting sort.
  const starts = new Int32Array(regionCount + 1);
  for (let c = 0; c < cellCount; c++) if (label[c]! >= 0) starts[label[c]! + 1]!++;
  for (let r = 0; r < regionCount; r++) starts[r + 1]! += starts[r]!;
  const byRegion = new Int32Array(starts[regionCount]!);
  const fill = starts.slice(0, regionCount);
  for (let c = 0; c < cellCount; c++) if (label[c]! >= 0) byRegion[fill[label[c]!]!++] = c;

  const fineAt = (cell: number): number => (cell < 0 ? -1 : fine[cell]!);
  const isJunction = (cell: number, k: number): boolean => {
    const a = fine[cell]!;
    const b = fineAt(neighbours[cell * 6 + ((k + 5) % 6)]!);
    const c = fineAt(neighbours[cell * 6 + k]!);
    return a !== b && b !== c && a !== c;
  };

  // Outgoing boundary half-edge at each vertex, for the region being traced (reset after each).
  const outgoing = new Map<number, number>();
  const result: Array<Polygon | MultiPolygon> = [];
  const edgeCells: number[] = [];
  const edgeKs: number[] = [];

  for (let r = 0; r < regionCount; r++) {
    edgeCells.length = 0;
    edgeKs.length = 0;
    outgoing.clear();
    for (let i = starts[r]!; i < starts[r + 1]!; i++) {
      const c = byRegion[i]!;
      for (let k = 0; k < 6; k++) {
        const n = neighbours[c * 6 + k]!;
        if (n >= 0 && label[n] === r) continue;
        outgoing.set(lattice.vertexKey(c, k), edgeCells.length);
        edgeCells.push(c);
        edgeKs.push(k);
      }
    }
    if (edgeCells.length === 0) throw new Error(`traceRegions: region ${r} has no cells`);
    const visited = new Uint8Array(edgeCells.length);
    const shells: Position[][] = [];
    const holes: Position[][] = [];
    for (let first = 0; first < edgeCells.length; first++) {
      if (visited[first]) continue;
      const ring: Position[] = [];
      let area = 0;
      let previousX = 0;
      let previousY = 0;
      let hasPrevious = false;
      let firstX = 0;
      let firstY = 0;
      const emit = (x: number, y: number): void => {
        if (hasPrevious) area += previousX * y - x * previousY;
        else {
          firstX = x;
          firstY = y;
        }
        previousX = x;
        previousY = y;
        hasPrevious = true;
        ring.push(toLonLat(x, y));
      };
      let e = first;
      let startJunction = isJunction(edgeCells[e]!, edgeKs[e]!);
      while (!visited[e]) {
        visited[e] = 1;
        const c = edgeCells[e]!;
        const k = edgeKs[e]!;
        const next = outgoing.get(lattice.vertexKey(c, (k + 1) % 6));
        if (next === undefined) throw new Error(`traceRegions: boundary of region ${r} is not closed`);
        const endJunction = isJunction(edgeCells[next]!, edgeKs[next]!);
        if (startJunction) emit(lattice.vertexX(c, k), lattice.vertexY(c, k));
        if (!(startJunction && endJunction)) {
          const k1 = (k + 1) % 6;
          emit((lattice.vertexX(c, k) + lattice.vertexX(c, k1)) / 2, (lattice.vertexY(c, k) + lattice.vertexY(c, k1)) / 2);
        }
        startJunction = endJunction;
        e = next;
      }
      area += previousX * firstY - firstX * previousY;
      ring.push([...(ring[0] as Position)]);
      (area > 0 ? shells : holes).push(ring);
    }
    result.push(assemble(shells, holes, r));
  }
  return result;
}

/** Puts holes into the shell that contains them. Regions grown from one seed have one shell. */
function assemble(shells: Position[][], holes: Position[][], region: number): Polygon | MultiPolygon {
  if (shells.length === 0) throw new Error(`traceRegions: region ${region} has no outer ring`);
  if (shells.length === 1) return { type: 'Polygon', coordinates: [shells[0]!, ...holes] };
  const polygons: Position[][][] = shells.map((shell) => [shell]);
  for (const hole of holes) {
    const [x, y] = hole[0] as [number, number];
    const owner = polygons.find(([shell]) => ringContains(shell!, x, y)) ?? polygons[0]!;
    owner.push(hole);
  }
  return { type: 'MultiPolygon', coordinates: polygons };
}

function ringContains(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
