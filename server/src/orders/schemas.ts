/** Orders (指令): a dispatcher's or coordinator's order or notice to teams, with per-team receipts. */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable } from '../schemaKit.ts';

const Id = T.String({ minLength: 1, maxLength: 64 });

/** Who receives it: listed teams, a township's teams, or every team on duty now (any one given). */
export const OrderRecipients = T.Object(
  {
    teamIds: T.Optional(T.Array(Id, { minItems: 1, maxItems: 500 })),
    townshipId: T.Optional(Id),
    onDuty: T.Optional(T.Boolean()),
  },
  { additionalProperties: false },
);
export type OrderRecipients = Static<typeof OrderRecipients>;

/** POST /api/orders */
export const SendOrderBody = T.Object(
  {
    /** Client-generated: a retry with the same id and body answers the same order. */
    id: T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    to: OrderRecipients,
    text: T.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
    lon: T.Optional(T.Number({ minimum: -180, maximum: 180 })),
    lat: T.Optional(T.Number({ minimum: -90, maximum: 90 })),
  },
  { additionalProperties: false },
);
export type SendOrderBody = Static<typeof SendOrderBody>;

/** One recipient team's receipt: when its phone received the order, a member read it, the team arrived (go-to orders). */
export const ReceiptSchema = T.Object({
  teamId: T.String(),
  receivedAt: Nullable(T.Integer()),
  readAt: Nullable(T.Integer()),
  arrivedAt: Nullable(T.Integer()),
  /** Not read within ORDER_UNREAD_ALERT_MIN minutes (flagged once, shown on the sender's screen). */
  overdueAt: Nullable(T.Integer()),
});
export type Receipt = Static<typeof ReceiptSchema>;

export const OrderSchema = T.Object({
  id: T.String(),
  text: T.String(),
  lon: Nullable(T.Number()),
  lat: Nullable(T.Number()),
  to: OrderRecipients,
  teamIds: T.Array(T.String()),
  /** Username of the sender. */
  by: T.String(),
  /** The sender's name as people know it (the account's name); null on orders stored before names were kept. */
  byName: Nullable(T.String()),
  at: T.Integer(),
  receipts: T.Array(ReceiptSchema),
});
export type OrderView = Static<typeof OrderSchema>;

export const OrdersResponseSchema = T.Object({ orders: T.Array(OrderSchema), at: T.Integer() });

export const OrderListQuery = T.Object({
  teamId: T.Optional(Id),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 200 })),
});

/** An order as one team's phone sees it: its own receipt only. */
export interface PatrolOrder {
  id: string;
  text: string;
  lon: number | null;
  lat: number | null;
  by: string;
  byName: string | null;
  at: number;
  receivedAt: number | null;
  readAt: number | null;
  arrivedAt: number | null;
}

/** The phone's receipt events: `order:received`, `order:read`. */
export const ReceiptPayload = T.Object({ orderId: T.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

/** What is stored under the order's id (the receipts live beside it). */
export interface StoredOrder {
  id: string;
  text: string;
  lon: number | null;
  lat: number | null;
  to: OrderRecipients;
  teamIds: string[];
  by: string;
  /** Absent on orders stored before names were kept. */
  byName?: string;
  at: number;
}
