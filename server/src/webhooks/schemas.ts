/**
 * Webhooks (告警推送): alerts out of the building. Each webhook posts alert events of the kinds and
 * level it chose to a URL (our JSON, or a WeCom / DingTalk group robot's markdown), signed.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { ALERT_EVENTS, ALERT_KINDS, type AlertKind } from '../alerts/schemas.ts';
import { IntegerEnum, Nullable, StringEnum } from '../schemaKit.ts';

export const WEBHOOK_FORMATS = ['json', 'wecom', 'dingtalk'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** As stored (hash `webhooks`), with its secret. */
export interface StoredWebhook {
  id: string;
  name: string;
  url: string;
  kinds: AlertKind[];
  minLevel: 1 | 2;
  events: Array<(typeof ALERT_EVENTS)[number]>;
  format: WebhookFormat;
  secret: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export const DeliverySchema = T.Object({
  id: T.String(),
  webhookId: T.String(),
  event: T.String(),
  alertId: Nullable(T.String()),
  kind: Nullable(T.String()),
  level: T.Number(),
  status: StringEnum(DELIVERY_STATUSES),
  attempts: T.Integer(),
  /** HTTP status of the last attempt, or null when none answered. */
  httpStatus: Nullable(T.Integer()),
  error: Nullable(T.String()),
  createdAt: T.Number(),
  at: T.Number(),
});
export type Delivery = Static<typeof DeliverySchema>;

export const WebhookSchema = T.Object({
  id: T.String(),
  name: T.String(),
  url: T.String(),
  kinds: T.Array(StringEnum(ALERT_KINDS), { description: 'empty: every kind' }),
  minLevel: IntegerEnum([1, 2]),
  events: T.Array(StringEnum(ALERT_EVENTS)),
  format: StringEnum(WEBHOOK_FORMATS),
  /** Whether a signing secret is set; the secret itself is never answered. */
  hasSecret: T.Boolean(),
  enabled: T.Boolean(),
  createdAt: T.Number(),
  updatedAt: T.Number(),
  /** The last delivery's outcome, its error, and how many deliveries failed for good. */
  lastStatus: Nullable(StringEnum(DELIVERY_STATUSES)),
  lastError: Nullable(T.String()),
  lastAt: Nullable(T.Number()),
  failures: T.Integer(),
  delivered: T.Integer(),
  /** The latest deliveries, newest first. */
  recent: T.Array(DeliverySchema),
});
export type WebhookView = Static<typeof WebhookSchema>;
export const WebhooksSchema = T.Object({ webhooks: T.Array(WebhookSchema) });

const Url = T.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$' });
const Fields = {
  name: T.String({ minLength: 1, maxLength: 100 }),
  url: Url,
  kinds: T.Array(T.Union(ALERT_KINDS.map((k) => T.Literal(k))), { maxItems: ALERT_KINDS.length, uniqueItems: true }),
  minLevel: T.Union([T.Literal(1), T.Literal(2)]),
  events: T.Array(T.Union(ALERT_EVENTS.map((e) => T.Literal(e))), { minItems: 1, maxItems: ALERT_EVENTS.length, uniqueItems: true }),
  format: T.Union(WEBHOOK_FORMATS.map((f) => T.Literal(f))),
  secret: T.String({ maxLength: 200 }),
  enabled: T.Boolean(),
};
/** POST /api/admin/webhooks */
export const NewWebhookBody = T.Object({
  name: Fields.name,
  url: Fields.url,
  kinds: T.Optional(Fields.kinds),
  minLevel: T.Optional(Fields.minLevel),
  events: T.Optional(Fields.events),
  format: T.Optional(Fields.format),
  secret: T.Optional(Fields.secret),
  enabled: T.Optional(Fields.enabled),
});
export type NewWebhook = Static<typeof NewWebhookBody>;
/** PUT /api/admin/webhooks/:id — the fields given change; `secret` '' removes it. */
export const WebhookChangeBody = T.Partial(T.Object(Fields));
export type WebhookChange = Static<typeof WebhookChangeBody>;
export const WebhookParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });
/** POST /api/admin/webhooks/:id/test → the one attempt's outcome (no retries). */
export const WebhookTestSchema = T.Object({ delivery: DeliverySchema });
