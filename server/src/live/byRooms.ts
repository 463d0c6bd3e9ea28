/**
 * Splits a live batch by who may hear each item: items that go to the same set of rooms travel
 * together, one emit per set (`io.to([...rooms])`). Socket.IO sends an emit once to a socket
 * that is in several of its rooms, so nobody hears an item twice; a socket in rooms of several
 * sets hears several smaller batches instead of one.
 */

/** One emit: the rooms and the items that go to exactly those rooms, in the batch's order. */
export interface RoomGroup<T> {
  rooms: string[];
  items: T[];
}

/**
 * Groups `items` by `roomsOf(item)` (order of rooms does not matter), groups in the order
 * their first item came; items with no room are dropped.
 *
 * @example
 * groupByRooms([{ id: 1, t: 'A' }, { id: 2, t: 'B' }, { id: 3, t: 'A' }], (x) => ['county', `township:${x.t}`])
 * // [{ rooms: ['county', 'township:A'], items: [#1, #3] }, { rooms: ['county', 'township:B'], items: [#2] }]
 */
export function groupByRooms<T>(items: Iterable<T>, roomsOf: (item: T) => readonly string[]): RoomGroup<T>[] {
  const groups = new Map<string, RoomGroup<T>>();
  for (const item of items) {
    const rooms = [...new Set(roomsOf(item))].sort();
    if (rooms.length === 0) continue;
    // A room name never holds a newline, so the joined names are a unique key.
    const key = rooms.join('\n');
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { rooms, items: [item] });
  }
  return [...groups.values()];
}
