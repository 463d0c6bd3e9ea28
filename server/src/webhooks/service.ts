/**
 * Webhook deliveries. An alert event is enqueued once (by the process whose script made the
 * transition: alerts' publish); every process polls, claims due deliveries with one script
 * (lua/claim.lua) so each is sent by one process, posts it signed with a timeout, and on failure
 * schedules the next try after the configured waits, then marks it failed. Each webhook keeps its
 * last outcome, error, failure count and its latest deliveries, for the admin screen.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from '../plugins/redis.ts';
import type { Keys } from '../keys.ts';
import type { AlertView } from '../alerts/schemas.ts';
import { loadScript } from '../redis/script.ts';
import { bodyOf, messageBodyOf, signature, type WebhookMessage } from './format.ts';
import type { Delivery, DeliveryStatus, StoredWebhook, WebhookView } from './schemas.ts';

const CLAIM = loadScript(new URL('./lua/claim.lua', import.meta.url));
/** Deliveries kept per webhook for the screen. */
export const RECENT = 20;
/** A claimed delivery is claimable again after this long (its process died while sending). */
const LEASE_MS = 120_000;

/** A delivery waiting to be sent: what is posted is built from it at each attempt. */
interface Pending extends Delivery {
  alert?: AlertView;
  /** Instead of an alert: a message such as the daily briefing. */
  message?: WebhookMessage;
}

export interface WebhooksDeps {
  redis: Redis;
  keys: Keys;
  now: () => number;
  retryDelaysMs: number[];
  timeoutMs: number;
  timeZone: string;
  log: { warn(obj: object, msg: string): void };
}

export function createWebhooks(deps: WebhooksDeps) {
  const { redis, keys } = deps;
  let cache: { at: number; hooks: Promise<StoredWebhook[]> } | undefined;

  async function all(): Promise<StoredWebhook[]> {
    const rows = await redis.hVals(keys.webhooks);
    return rows.map((r) => JSON.parse(r) as StoredWebhook).sort((a, b) => a.createdAt - b.createdAt);
  }
  /** The webhooks, re-read at most every 2 s (another process's change is seen that late). */
  function cached(): Promise<StoredWebhook[]> {
    const now = Date.now();
    if (!cache || now - cache.at > 2000) cache = { at: now, hooks: all() };
    return cache.hooks;
  }

  async function view(h: StoredWebhook): Promise<WebhookView> {
    const [status, recent] = await Promise.all([redis.hGetAll(keys.webhookStatus(h.id)), redis.lRange(keys.webhookLog(h.id), 0, RECENT - 1)]);
    const { secret, ...rest } = h;
    return {
      ...rest,
      hasSecret: secret !== '',
      lastStatus: (status.lastStatus as DeliveryStatus | undefined) ?? null,
      lastError: status.lastError || null,
      lastAt: status.lastAt ? Number(status.lastAt) : null,
      failures: Number(status.failures ?? 0),
      delivered: Number(status.delivered ?? 0),
      recent: recent.map((r) => JSON.parse(r) as Delivery),
    };
  }

  function matches(h: StoredWebhook, event: string, alert: AlertView): boolean {
    return h.enabled && (h.events as string[]).includes(event) && (h.kinds.length === 0 || h.kinds.includes(alert.kind)) && alert.level >= h.minLevel;
  }

  /** One POST: resolves to the HTTP status, throws with a readable reason. */
  async function post(h: StoredWebhook, d: Pending, at: number): Promise<number> {
    const event = d.event;
    const body = d.message ? messageBodyOf(h.format, d.message, at) : bodyOf(h.format, event, d.alert!, at, deps.timeZone);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-lianfang-event': event, 'user-agent': 'Lianfang-Webhook' };
    if (h.secret) headers['x-lianfang-signature'] = signature(body, h.secret);
    let res: Response;
    try {
      res = await fetch(h.url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(deps.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw Object.assign(new Error(e.name === 'TimeoutError' ? `no answer within ${deps.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message)), { httpStatus: null });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`), { httpStatus: res.status });
    // Group robots answer 200 with an error code in the body.
    if (h.format !== 'json') {
      try {
        const answer = JSON.parse(text) as { errcode?: number; errmsg?: string };
        if (typeof answer.errcode === 'number' && answer.errcode !== 0) throw Object.assign(new Error(`errcode ${answer.errcode}: ${answer.errmsg ?? ''}`), { httpStatus: res.status });
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
      }
    }
    return res.status;
  }

  /** Records an attempt's outcome: final ones leave the queue for the webhook's list. */
  async function record(d: Pending, status: DeliveryStatus, nextAt: number | null): Promise<void> {
    const { alert: _alert, message: _message, ...delivery } = d;
    const final: Delivery = { ...delivery, status };
    const m = redis.multi();
    if (nextAt === null) {
      m.zRem(keys.webhookDue, d.id).hDel(keys.webhookDeliveries, d.id);
    } else {
      m.hSet(keys.webhookDeliveries, d.id, JSON.stringify({ ...d, status })).zAdd(keys.webhookDue, { score: nextAt, value: d.id });
    }
    if (nextAt === null || status === 'retrying') {
      m.lPush(keys.webhookLog(d.webhookId), JSON.stringify(final)).lTrim(keys.webhookLog(d.webhookId), 0, RECENT - 1);
    }
    m.hSet(keys.webhookStatus(d.webhookId), { lastStatus: status, lastError: d.error ?? '', lastAt: String(d.at) });
    if (status === 'failed') m.hIncrBy(keys.webhookStatus(d.webhookId), 'failures', 1);
    if (status === 'delivered') m.hIncrBy(keys.webhookStatus(d.webhookId), 'delivered', 1);
    await m.exec();
  }

  async function attempt(d: Pending, h: StoredWebhook | undefined, retries = true): Promise<void> {
    const now = deps.now();
    d.attempts += 1;
    d.at = now;
    if (!h) {
      d.error = 'webhook deleted';
      await record(d, 'failed', null);
      return;
    }
    try {
      d.httpStatus = await post(h, d, d.createdAt);
      d.error = null;
      await record(d, 'delivered', null);
    } catch (err) {
      d.error = (err as Error).message;
      d.httpStatus = (err as { httpStatus?: number | null }).httpStatus ?? null;
      const wait = retries ? deps.retryDelaysMs[d.attempts - 1] : undefined;
      if (wait === undefined) await record(d, 'failed', null);
      else await record(d, 'retrying', deps.now() + wait);
    }
  }

  let sending = false;

  return {
    all,
    view,
    invalidate(): void {
      cache = undefined;
    },

    async get(id: string): Promise<StoredWebhook | undefined> {
      const raw = await redis.hGet(keys.webhooks, id);
      return raw ? (JSON.parse(raw) as StoredWebhook) : undefined;
    },
    async save(h: StoredWebhook): Promise<void> {
      await redis.hSet(keys.webhooks, h.id, JSON.stringify(h));
      cache = undefined;
    },
    async remove(id: string): Promise<boolean> {
      const n = await redis.hDel(keys.webhooks, id);
      await redis.del([keys.webhookStatus(id), keys.webhookLog(id)]);
      cache = undefined;
      return n > 0;
    },

    /** Queues the event for every webhook that wants it (once: the caller made the transition). */
    async enqueue(events: Array<{ event: string; alert: AlertView }>): Promise<number> {
      const hooks = await cached();
      if (hooks.length === 0) return 0;
      const now = deps.now();
      const m = redis.multi();
      let n = 0;
      for (const { event, alert } of events) {
        for (const h of hooks) {
          if (!matches(h, event, alert)) continue;
          const d: Pending = { id: `${now}-${randomUUID().slice(0, 8)}`, webhookId: h.id, event, alertId: alert.id, kind: alert.kind, level: alert.level, status: 'pending', attempts: 0, httpStatus: null, error: null, createdAt: now, at: now, alert };
          m.hSet(keys.webhookDeliveries, d.id, JSON.stringify(d)).zAdd(keys.webhookDue, { score: now, value: d.id });
          n++;
        }
      }
      if (n > 0) await m.exec();
      return n;
    },

    /** Queues a message (the daily briefing) for every enabled webhook, once: the caller produced it. */
    async enqueueMessage(message: WebhookMessage): Promise<number> {
      const hooks = (await all()).filter((h) => h.enabled);
      if (hooks.length === 0) return 0;
      const now = deps.now();
      const m = redis.multi();
      for (const h of hooks) {
        const d: Pending = { id: `${now}-${randomUUID().slice(0, 8)}`, webhookId: h.id, event: message.kind, alertId: null, kind: message.kind, level: 1, status: 'pending', attempts: 0, httpStatus: null, error: null, createdAt: now, at: now, message };
        m.hSet(keys.webhookDeliveries, d.id, JSON.stringify(d)).zAdd(keys.webhookDue, { score: now, value: d.id });
      }
      await m.exec();
      return hooks.length;
    },

    /** Sends what is due (claimed so one process sends each). Resolves when this round is done. */
    async deliverDue(limit = 50): Promise<number> {
      if (sending) return 0;
      sending = true;
      try {
        const rows = (await CLAIM.run(redis, [keys.webhookDue, keys.webhookDeliveries], [deps.now(), LEASE_MS, limit])) as string[];
        if (rows.length === 0) return 0;
        const hooks = new Map((await all()).map((h) => [h.id, h]));
        await Promise.all(rows.map((r) => attempt(JSON.parse(r) as Pending, hooks.get((JSON.parse(r) as Pending).webhookId))));
        return rows.length;
      } finally {
        sending = false;
      }
    },

    /** One attempt now, no retries (the admin's 'send test'); recorded like any delivery. */
    async test(h: StoredWebhook, alert: AlertView): Promise<Delivery> {
      const now = deps.now();
      const d: Pending = { id: `${now}-${randomUUID().slice(0, 8)}`, webhookId: h.id, event: 'test', alertId: null, kind: alert.kind, level: alert.level, status: 'pending', attempts: 0, httpStatus: null, error: null, createdAt: now, at: now, alert };
      await attempt(d, h, false);
      const { alert: _alert, message: _message, ...out } = d;
      return { ...out, status: d.error ? 'failed' : 'delivered' };
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
