import { describe, expect, it } from 'vitest';
import { groupByRooms } from '../../../../server/src/live/byRooms.ts';

type Item = { id: number; rooms: string[] };
const item = (id: number, ...rooms: string[]): Item => ({ id, rooms });
const ids = (groups: { rooms: string[]; items: Item[] }[]) => groups.map((g) => ({ rooms: g.rooms, ids: g.items.map((i) => i.id) }));

describe(groupByRooms.name, () => {
  it('sends items bound for the same rooms in one message, whatever order their rooms were named in', () => {
    const groups = groupByRooms([item(1, 'county', 'township:A'), item(2, 'township:A', 'county'), item(3, 'county', 'org:X')], (i) => i.rooms);
    expect(ids(groups)).toEqual([
      { rooms: ['county', 'township:A'], ids: [1, 2] },
      { rooms: ['county', 'org:X'], ids: [3] },
    ]);
  });

  it('keeps the batch order within a message and the order of first appearance across messages', () => {
    const groups = groupByRooms([item(1, 'b'), item(2, 'a'), item(3, 'b'), item(4, 'a')], (i) => i.rooms);
    expect(ids(groups)).toEqual([
      { rooms: ['b'], ids: [1, 3] },
      { rooms: ['a'], ids: [2, 4] },
    ]);
  });

  it('names a room once however often an item lists it, and drops an item bound for no room', () => {
    const groups = groupByRooms([item(1, 'county', 'county'), item(2)], (i) => i.rooms);
    expect(ids(groups)).toEqual([{ rooms: ['county'], ids: [1] }]);
  });

  it('answers no message for an empty batch', () => {
    expect(groupByRooms([], () => ['county'])).toEqual([]);
  });
});
