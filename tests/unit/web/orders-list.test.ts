import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../../server/src/orders/schemas.ts';
import { mergeOrder, mergeOrders } from '../../../web/src/lib/live/orders.ts';

const T = 1_800_000_000_000;
const receipt = (teamId: string, r: Partial<OrderView['receipts'][number]> = {}) => ({ teamId, receivedAt: null, readAt: null, arrivedAt: null, overdueAt: null, ...r });
function order(id: string, at: number, receipts = [receipt('team-1')]): OrderView {
  return { id, text: '注意', lon: null, lat: null, to: { teamIds: receipts.map((r) => r.teamId) }, teamIds: receipts.map((r) => r.teamId), by: 'dispatcher', byName: '王调度', at, receipts };
}

describe("the sender's order list", () => {
  it('keeps a read receipt that was pushed when an older fetch answer arrives after it', () => {
    const pushed = order('o1', T, [receipt('team-1', { receivedAt: T + 1, readAt: T + 2 })]);
    const fetched = order('o1', T, [receipt('team-1', { receivedAt: T + 1 })]);
    expect(mergeOrders([pushed], [fetched], () => true, 10)[0]!.receipts[0]).toMatchObject({ readAt: T + 2, receivedAt: T + 1 });
  });

  it("adds a coordinator's copy of another organisation's teams to the same order rather than dropping teams", () => {
    const a = order('o1', T, [receipt('team-1', { readAt: T + 5 })]);
    const b = order('o1', T, [receipt('team-2', { receivedAt: T + 3 })]);
    const merged = mergeOrder(a, b);
    expect(merged.teamIds).toEqual(['team-1', 'team-2']);
    expect(merged.receipts.map((r) => [r.teamId, r.readAt, r.receivedAt])).toEqual([
      ['team-1', T + 5, null],
      ['team-2', null, T + 3],
    ]);
  });

  it('lists a pushed order only when the panel wants it, newest first, at most the limit', () => {
    const list = [order('o1', T), order('o2', T + 10)];
    const merged = mergeOrders(list, [order('o3', T + 20), order('x', T + 30)], (o) => o.id !== 'x', 2);
    expect(merged.map((o) => o.id)).toEqual(['o3', 'o2']);
  });
});
