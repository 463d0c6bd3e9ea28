/**
 * A tiny benchmark harness: time a function many times, keep the median and the 99th percentile in
 * microseconds, and compare with a baseline measured in the same run (so machine load affects both).
 */
import { performance } from 'node:perf_hooks';

export interface MeasureOptions {
  /** Timed calls (default 1,000). */
  iterations?: number;
  /** Untimed calls first, to let the JIT settle (default iterations / 10). */
  warmup?: number;
  /** Calls per timed sample, for operations too quick to time one by one (default 1). */
  batch?: number;
  /** Name of an earlier measurement to report a speed-up against. */
  baseline?: string;
  /** Median to stay under, µs: reported as ok / SLOW. */
  target?: number;
}

export interface Measurement {
  name: string;
  iterations: number;
  /** Microseconds per call. */
  median: number;
  p99: number;
  mean: number;
  baseline?: string;
  target?: number;
}

const results: Measurement[] = [];
/** Results go here so the JIT cannot drop the work. */
export let sink: unknown;

/**
 * Times `fn(i)` for i = 0 … iterations-1 and records the result for {@link report}.
 *
 * @example
 * measure('point→grid', (i) => index.gridAt(xs[i % n]!, ys[i % n]!), { iterations: 100_000, batch: 10, target: 5 });
 */
export function measure(name: string, fn: (i: number) => unknown, options: MeasureOptions = {}): Measurement {
  const iterations = options.iterations ?? 1000;
  const batch = Math.max(1, options.batch ?? 1);
  const warmup = options.warmup ?? Math.ceil(iterations / 10);
  if (options.baseline && !results.some((r) => r.name === options.baseline)) {
    throw new Error(`measure: baseline "${options.baseline}" must be measured before "${name}"`);
  }
  for (let i = 0; i < warmup; i++) sink = fn(i);
  const samples = new Float64Array(Math.ceil(iterations / batch));
  let call = 0;
  for (let s = 0; s < samples.length; s++) {
    const start = process.hrtime.bigint();
    for (let b = 0; b < batch; b++) sink = fn(call++);
    samples[s] = Number(process.hrtime.bigint() - start) / 1000 / batch;
  }
  samples.sort();
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  const measurement: Measurement = {
    name,
    iterations,
    median: at(0.5),
    p99: at(0.99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
  };
  results.push(measurement);
  return measurement;
}

/** Speed-up of a measurement over its baseline (baseline median / its median), if it has one. */
export function ratio(measurement: Measurement): number | undefined {
  const base = results.find((r) => r.name === measurement.baseline);
  return base ? base.median / measurement.median : undefined;
}

function format(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(1)} ms`;
  return `${us.toFixed(us < 10 ? 2 : 1)} µs`;
}

/** One line of a results table: a median and a p99 in µs, maybe a target and a baseline row's name. */
export interface Row {
  name: string;
  median: number;
  p99: number;
  target?: number;
  baseline?: string;
}

/** Prints rows as a table: median, p99, the target met or not, the speed-up over the baseline row. */
export function printTable(title: string | undefined, rows: readonly Row[]): void {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const cells = rows.map((m) => {
    const base = m.baseline ? byName.get(m.baseline) : undefined;
    const r = base ? base.median / m.median : undefined;
    return [
      m.name,
      format(m.median),
      format(m.p99),
      m.target === undefined ? '' : `≤ ${format(m.target)} ${m.median <= m.target ? 'ok' : 'SLOW'}`,
      r === undefined ? '' : `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}× faster than ${m.baseline}`,
    ];
  });
  const header = ['operation', 'median', 'p99', 'target', 'vs baseline'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  if (title) console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells) console.log(line(row));
}

/**
 * Times an async operation `iterations` times after `warmup` untimed calls, `setup` (untimed)
 * before each; median and p99 in µs.
 */
export async function timeAsync(
  name: string,
  fn: (i: number) => Promise<unknown>,
  options: { iterations: number; warmup?: number; setup?: (i: number) => Promise<unknown>; target?: number; baseline?: string },
): Promise<Row> {
  const samples: number[] = [];
  const warmup = options.warmup ?? Math.min(5, Math.ceil(options.iterations / 10));
  for (let i = 0; i < warmup + options.iterations; i++) {
    if (options.setup) await options.setup(i);
    const start = performance.now();
    await fn(i);
    if (i >= warmup) samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { name, median: at(0.5), p99: at(0.99), ...(options.target !== undefined ? { target: options.target } : {}), ...(options.baseline ? { baseline: options.baseline } : {}) };
}

/**
 * Prints every measurement recorded since the last report as a table, then forgets them.
 *
 * @example
 * report('geo');
 */
export function report(title?: string): Measurement[] {
  printTable(title, results);
  return results.splice(0);
}
