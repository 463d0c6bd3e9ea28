/**
 * Smooth 2-D value noise: random values on an integer lattice, blended with smoothstep. Used to
 * warp space before growing regions, so boundaries wander like field edges and canals instead of
 * running straight.
 */

/**
 * Creates a seeded noise function returning values in [-1, 1] that vary over about one unit.
 *
 * @example
 * const noise = createValueNoise(7);
 * noise(0.5, 1.25); // same value on every run
 */
export function createValueNoise(seed: number): (x: number, y: number) => number {
  const at = (ix: number, iy: number): number => {
    let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ Math.imul(seed, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (((h ^ (h >>> 16)) >>> 0) / 4294967296) * 2 - 1;
  };
  return (x, y) => {
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    const fx = x - ix;
    const fy = y - iy;
    const sx = fx * fx * (3 - 2 * fx);
    const sy = fy * fy * (3 - 2 * fy);
    const top = at(ix, iy) + (at(ix + 1, iy) - at(ix, iy)) * sx;
    const bottom = at(ix, iy + 1) + (at(ix + 1, iy + 1) - at(ix, iy + 1)) * sx;
    return top + (bottom - top) * sy;
  };
}
