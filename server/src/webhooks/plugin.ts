/**
 * Registers webhooks: every alert transition this process made is queued for the webhooks that
 * want it (once across processes: only the process whose script made it hears it), and every
 * process sends what is due every WEBHOOK_POLL_MS.
 */
import fp from 'fastify-plugin';
import type { AlertView } from '../alerts/schemas.ts';
import { createWebhooks, type Webhooks } from './service.ts';
import webhookRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: Webhooks;
  }
}

/** The event a changed alert's newest step is (its history is oldest first). */
export function latestEvent(alert: AlertView): string {
  return alert.history.at(-1)?.event ?? 'raised';
}

export default fp(
  async (app) => {
    const webhooks = createWebhooks({
      redis: app.redis,
      keys: app.keys,
      now: () => app.clock.now(),
      retryDelaysMs: app.config.webhookRetryDelaysMs,
      timeoutMs: app.config.webhookTimeoutMs,
      timeZone: app.config.timeZone,
      log: app.log,
    });
    app.decorate('webhooks', webhooks);
    app.alerts.onTransition((result) => {
      const events = [
        ...result.raised.map((a) => ({ event: 'raised', alert: app.alerts.toView(a) })),
        ...result.updated.map((a) => app.alerts.toView(a)).map((alert) => ({ event: latestEvent(alert), alert })),
      ];
      webhooks.enqueue(events).catch((err: Error) => app.log.warn({ err: err.message }, 'webhook enqueue failed'));
    });
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const loop = async () => {
      try {
        if (app.redis.isReady) await webhooks.deliverDue();
      } catch (err) {
        app.log.warn({ err: (err as Error).message }, 'webhook delivery failed');
      }
      if (!stopped) timer = setTimeout(() => void loop(), app.config.webhookPollMs).unref();
    };
    app.addHook('onReady', async () => {
      if (app.config.webhookPollMs > 0) void loop();
    });
    app.addHook('preClose', async () => {
      stopped = true;
      clearTimeout(timer);
    });
    await app.register(webhookRoutes);
  },
  { name: 'webhooks', dependencies: ['redis', 'access', 'alerts'] },
);
