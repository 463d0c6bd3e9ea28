/** @lianfang/geo: pure domain logic and geometry, no I/O. */
export * from './types.ts';
