import { describe, expect, it } from 'vitest';
import { simulatedBattery } from '../../../../server/src/simulator/simulator.ts';

describe(simulatedBattery.name, () => {
  const route = (phase: number) => ({ offset: phase * 1000, length: 1000 });
  const T = Date.UTC(2027, 1, 6, 8, 0, 0);

  it('drains a demo phone 1 % every 6 minutes and swaps it for a charged one below 11 %', () => {
    const start = simulatedBattery(route(0.5), T);
    expect(simulatedBattery(route(0.5), T + 6 * 60_000)).toBe(start === 11 ? 100 : start - 1);
    const levels = Array.from({ length: 90 }, (_, i) => simulatedBattery(route(0.5), T + i * 360_000));
    expect(Math.min(...levels)).toBe(11);
    expect(Math.max(...levels)).toBe(100);
  });

  it('keeps teams out of step, so a first look finds some phones low and most not', () => {
    const levels = Array.from({ length: 100 }, (_, i) => simulatedBattery(route(i / 100), T));
    expect(levels.filter((l) => l < 20).length).toBeGreaterThan(0);
    expect(levels.filter((l) => l >= 20).length).toBeGreaterThan(50);
  });
});
