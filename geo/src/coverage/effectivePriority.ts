/**
 * Key grids 重点网格 raise the level of every location in them.
 */
import type { Priority } from './types.ts';

/**
 * The priority rules see: one level higher (a smaller number) inside a key grid, never above 1.
 *
 * @example
 * effectivePriority(2, true);  // 1
 * effectivePriority(1, true);  // 1
 * effectivePriority(3, false); // 3
 */
export function effectivePriority(priority: Priority, inKeyGrid: boolean): Priority {
  return inKeyGrid && priority > 1 ? ((priority - 1) as Priority) : priority;
}
