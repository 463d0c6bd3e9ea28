/**
 * Shares a whole number out in proportion to weights (Sainte-Laguë), with a floor and an optional
 * ceiling per share: how many villages each township gets, how many grids each village gets.
 */

/**
 * Splits `total` into integers proportional to `weights`, each at least `min` and at most `max[i]`.
 * Ties go to the lower index, so the split is deterministic. Throws when the bounds make it impossible.
 *
 * @example
 * apportion(10, [1, 1, 2], { min: 1 }); // [3, 2, 5]
 */
export function apportion(total: number, weights: readonly number[], options: { min?: number; max?: readonly number[] } = {}): number[] {
  const min = options.min ?? 0;
  const max = options.max;
  const counts = weights.map(() => min);
  let given = min * weights.length;
  const capacity = max ? max.reduce((sum, m) => sum + m, 0) : Infinity;
  if (given > total || capacity < total) {
    throw new RangeError(`apportion: cannot split ${total} into ${weights.length} shares between ${min} and the given maxima`);
  }
  while (given < total) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < weights.length; i++) {
      if (max && counts[i]! >= max[i]!) continue;
      const score = weights[i]! / (2 * counts[i]! + 1);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    counts[best]!++;
    given++;
  }
  return counts;
}
