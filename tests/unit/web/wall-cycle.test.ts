import { describe, expect, it } from 'vitest';
import { nextStop, townshipsWithSomethingOpen, type Stop } from '../../../web/src/lib/wall/cycle';

const coverage = (townships: { id: string; uncovered: number }[]) => ({
  coverage: { active: 0, uncovered: 0, dueSoon: 0, share: null, townships: townships.map((t) => ({ ...t, name: t.id, active: 10, dueSoon: 0, share: null })) },
});

describe('the wall cycling through townships with something open', () => {
  it('visits townships with uncovered locations or open incidents, busiest first, and leaves calm ones out', () => {
    const stops = townshipsWithSomethingOpen(coverage([{ id: 'T01', uncovered: 0 }, { id: 'T02', uncovered: 1 }, { id: 'T03', uncovered: 0 }, { id: 'T04', uncovered: 3 }]), ['T03', 'T03', 'T02', null]);
    expect(stops.map((s) => [s.townshipId, s.uncovered, s.open])).toEqual([
      ['T04', 3, 0],
      ['T02', 1, 1],
      ['T03', 0, 2],
    ]);
  });

  it("ignores incidents outside the display's townships", () => {
    expect(townshipsWithSomethingOpen(coverage([{ id: 'T01', uncovered: 0 }]), ['T09'])).toEqual([]);
  });

  it('goes county → each stop → county, and starts again', () => {
    const stops: Stop[] = [
      { townshipId: 'T04', uncovered: 3, open: 0 },
      { townshipId: 'T02', uncovered: 1, open: 1 },
    ];
    const seen: (string | null)[] = [];
    let at: string | null = null;
    for (let i = 0; i < 6; i++) {
      at = nextStop(at, stops).townshipId;
      seen.push(at);
    }
    expect(seen).toEqual(['T04', 'T02', null, 'T04', 'T02', null]);
  });

  it('stays on the county when nothing is open, and goes back to it when the current township settled', () => {
    expect(nextStop(null, []).townshipId).toBeNull();
    expect(nextStop('T04', [{ townshipId: 'T02', uncovered: 1, open: 0 }]).townshipId).toBeNull();
  });
});
