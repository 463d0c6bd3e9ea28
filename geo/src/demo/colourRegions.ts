/**
 * Map colouring: neighbouring townships get different fill colours, so the boundary between them
 * reads at a glance.
 */

/**
 * Colours a graph given as neighbour lists with at most `colours` colours so neighbours differ.
 * Smallest-last ordering needs at most 6 colours on a planar map; among the free colours the least
 * used one is taken, to spread them evenly. Deterministic.
 *
 * @example
 * colourRegions([[1], [0, 2], [1]], { colours: 8 }); // [0, 1, 2]
 */
export function colourRegions(neighbours: ReadonlyArray<ReadonlyArray<number>>, options: { colours: number }): number[] {
  const n = neighbours.length;
  // Smallest-last order: repeatedly remove a vertex of least remaining degree.
  const degree = neighbours.map((list) => new Set(list).size);
  const removed = new Uint8Array(n);
  const order: number[] = [];
  for (let step = 0; step < n; step++) {
    let best = -1;
    for (let v = 0; v < n; v++) if (!removed[v] && (best < 0 || degree[v]! < degree[best]!)) best = v;
    removed[best] = 1;
    order.push(best);
    for (const w of new Set(neighbours[best])) if (!removed[w]) degree[w]!--;
  }
  order.reverse();
  const colour = new Array<number>(n).fill(-1);
  const used = new Array<number>(options.colours).fill(0);
  for (const v of order) {
    const taken = new Set(neighbours[v]!.map((w) => colour[w]));
    let best = -1;
    for (let c = 0; c < options.colours; c++) if (!taken.has(c) && (best < 0 || used[c]! < used[best]!)) best = c;
    if (best < 0) throw new Error(`colourRegions: region ${v} has neighbours in all ${options.colours} colours`);
    colour[v] = best;
    used[best]!++;
  }
  return colour;
}
