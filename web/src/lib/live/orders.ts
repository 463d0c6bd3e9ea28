/**
 * The sender's list of orders as plain functions: merging what the server pushes (`order:updated`)
 * with what a fetch answered, whichever arrives last. A receipt only ever fills in (received,
 * read, arrived, overdue are each set once), so the merge keeps every time either copy knows and
 * a late fetch answer can never undo a pushed receipt.
 */
import type { OrderView, Receipt } from '../../../../server/src/orders/schemas';

function mergeReceipt(a: Receipt, b: Receipt): Receipt {
  return {
    teamId: a.teamId,
    receivedAt: a.receivedAt ?? b.receivedAt,
    readAt: a.readAt ?? b.readAt,
    arrivedAt: a.arrivedAt ?? b.arrivedAt,
    overdueAt: a.overdueAt ?? b.overdueAt,
  };
}

/** One order from two copies: the teams of both (a coordinator's copy lists only their own), every receipt time either knows. */
export function mergeOrder(a: OrderView, b: OrderView): OrderView {
  const byTeam = new Map(a.receipts.map((r) => [r.teamId, r]));
  for (const r of b.receipts) {
    const held = byTeam.get(r.teamId);
    byTeam.set(r.teamId, held ? mergeReceipt(held, r) : r);
  }
  const teamIds = [...new Set([...a.teamIds, ...b.teamIds])];
  return { ...a, teamIds, receipts: teamIds.map((id) => byTeam.get(id)).filter((r): r is Receipt => r !== undefined) };
}

/**
 * The list with `incoming` merged in: orders already listed are updated in place, new ones that
 * `wanted` accepts go first (newest first, at most `limit`).
 */
export function mergeOrders(list: OrderView[], incoming: OrderView[], wanted: (o: OrderView) => boolean, limit: number): OrderView[] {
  const byId = new Map(list.map((o) => [o.id, o]));
  for (const o of incoming) {
    const held = byId.get(o.id);
    if (held) byId.set(o.id, mergeOrder(held, o));
    else if (wanted(o)) byId.set(o.id, o);
  }
  return [...byId.values()].sort((x, y) => y.at - x.at || x.id.localeCompare(y.id)).slice(0, limit);
}
