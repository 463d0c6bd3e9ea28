import { describe, expect, it } from 'vitest';
import { simulatedBattery } from '../../../../server/src/simulator/simulator.ts';

describe(simulatedBattery.name, () => {
  const route = (phase: number) => ({ offset: phase * 1000, length: 1000 });
  const T = Date.UTC(2027, 1, 6, 8, 0, 0);

  it('drains a demo phone 1 % every 6 minutes and swaps it for a charged one at 26 %', () => {
    const start = simulatedBattery(route(0.5), T);
    expect(simulatedBattery(route(0.5), T + 6 * 60_000)).toBe(start === 26 ? 100 : start - 1);
    const levels = Array.from({ length: 75 }, (_, i) => simulatedBattery(route(0.5), T + i * 360_000));
    expect(Math.min(...levels)).toBe(26);
    expect(Math.max(...levels)).toBe(100);
  });

  it('lets one team in 25 run low, so the demo has the odd low-battery alert and never a panel full of them', () => {
    const careless = Array.from({ length: 90 }, (_, i) => simulatedBattery(route(0.02), T + i * 360_000));
    expect(Math.min(...careless)).toBe(11);
    for (let minute = 0; minute < 600; minute += 30) {
      const levels = Array.from({ length: 300 }, (_, i) => simulatedBattery(route(i / 300), T + minute * 60_000));
      expect(levels.filter((l) => l < 20).length).toBeLessThanOrEqual(12);
    }
  });
});
