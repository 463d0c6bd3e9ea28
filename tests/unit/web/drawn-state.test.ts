import { describe, expect, it } from 'vitest';
import { DrawnState } from '../../../web/src/lib/map/source.ts';

describe('a map layer redraws only on a change a dispatcher could see', () => {
  const data = { features: [] };

  it('draws the first time, then skips a coverage batch that changed no colour', () => {
    const drawn = new DrawnState<string>();
    expect(drawn.unchanged([data, 'wgs84'], new Map([['a', 'covered'], ['b', 'due_soon']]))).toBe(false);
    expect(drawn.unchanged([data, 'wgs84'], new Map([['a', 'covered'], ['b', 'due_soon']]))).toBe(true);
  });

  it('redraws when one location changes colour, the data is replaced or the basemap coordinates change', () => {
    const drawn = new DrawnState<string>();
    drawn.unchanged([data, 'wgs84'], new Map([['a', 'covered']]));
    expect(drawn.unchanged([data, 'wgs84'], new Map([['a', 'uncovered']]))).toBe(false);
    expect(drawn.unchanged([{ features: [] }, 'wgs84'], new Map([['a', 'uncovered']]))).toBe(false);
    expect(drawn.unchanged([data, 'gcj02'], new Map([['a', 'uncovered']]))).toBe(false);
    expect(drawn.unchanged([data, 'gcj02'], new Map([['a', 'uncovered'], ['b', 'covered']]))).toBe(false);
  });

  it('is not fooled by a caller that changes its map after handing it over', () => {
    const drawn = new DrawnState<number>();
    const counts = new Map([['t1', 0]]);
    drawn.unchanged([data], counts);
    counts.set('t1', 3);
    expect(drawn.unchanged([data], counts)).toBe(false);
  });

  it('names just the locations that changed colour, so the map updates those and not all of them', () => {
    const drawn = new DrawnState<string>();
    expect(drawn.changes([data], new Map([['a', 'covered'], ['b', 'covered'], ['c', 'due_soon']]))).toBe('all');
    expect(drawn.changes([data], new Map([['a', 'covered'], ['b', 'uncovered'], ['c', 'due_soon']]))).toEqual(new Map([['b', 'uncovered']]));
    expect(drawn.changes([data], new Map([['a', 'covered'], ['b', 'uncovered'], ['d', 'due_soon']]))).toBe('all');
    drawn.reset();
    expect(drawn.changes([data], new Map([['a', 'covered'], ['b', 'uncovered'], ['d', 'due_soon']]))).toBe('all');
  });
});
