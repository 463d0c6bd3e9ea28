/**
 * The admin's webhooks: GET/POST /api/admin/webhooks, PUT/DELETE /api/admin/webhooks/:id, POST
 * /api/admin/webhooks/:id/test. Who may call: admins only; every change audited (config_change).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ADMINS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import type { AlertView } from '../alerts/schemas.ts';
import { NewWebhookBody, WebhookChangeBody, WebhookParams, WebhookSchema, WebhooksSchema, WebhookTestSchema, type StoredWebhook } from './schemas.ts';

/** Never the secret in the audit. */
const auditOf = (h: StoredWebhook) => ({ name: h.name, url: h.url, kinds: h.kinds, minLevel: h.minLevel, events: h.events, format: h.format, enabled: h.enabled, hasSecret: h.secret !== '' });

const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hooks = app.webhooks;
  async function existing(id: string): Promise<StoredWebhook> {
    const h = await hooks.get(id);
    if (!h) throw new HttpError(404, `no webhook with id ${id}`, 'params.id');
    return h;
  }

  app.get('/api/admin/webhooks', { config: { access: ADMINS }, schema: { response: { 200: WebhooksSchema } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { webhooks: await Promise.all((await hooks.all()).map((h) => hooks.view(h))) };
  });

  app.post('/api/admin/webhooks', { config: { access: ADMINS }, schema: { body: NewWebhookBody, response: { 201: WebhookSchema } } }, async (request, reply) => {
    const b = request.body;
    const now = app.clock.now();
    const h: StoredWebhook = {
      id: randomUUID().slice(0, 8),
      name: b.name,
      url: b.url,
      kinds: b.kinds ?? [],
      minLevel: b.minLevel ?? 1,
      events: b.events ?? ['raised', 'escalated'],
      format: b.format ?? 'json',
      secret: b.secret ?? '',
      enabled: b.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    await hooks.save(h);
    await app.auditRequest(request, { action: 'config_change', target: `webhook:${h.id}`, detail: { op: 'create', ...auditOf(h) } });
    return reply.status(201).send(await hooks.view(h));
  });

  app.put('/api/admin/webhooks/:id', { config: { access: ADMINS }, schema: { params: WebhookParams, body: WebhookChangeBody, response: { 200: WebhookSchema } } }, async (request) => {
    const h = await existing(request.params.id);
    const changed: StoredWebhook = { ...h, ...Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined)), updatedAt: app.clock.now() };
    await hooks.save(changed);
    await app.auditRequest(request, { action: 'config_change', target: `webhook:${h.id}`, detail: { op: 'update', ...auditOf(changed), secretChanged: request.body.secret !== undefined } });
    return hooks.view(changed);
  });

  app.delete('/api/admin/webhooks/:id', { config: { access: ADMINS }, schema: { params: WebhookParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    const h = await existing(request.params.id);
    await hooks.remove(h.id);
    await app.auditRequest(request, { action: 'config_change', target: `webhook:${h.id}`, detail: { op: 'delete', ...auditOf(h) } });
    return reply.status(204).send();
  });

  /** One signed POST of a sample alert, now, without retries: the outcome answers and is listed. */
  app.post('/api/admin/webhooks/:id/test', { config: { access: ADMINS }, schema: { params: WebhookParams, response: { 200: WebhookTestSchema } } }, async (request) => {
    const h = await existing(request.params.id);
    const now = app.clock.now();
    const sample: AlertView = {
      id: 'test', kind: 'sos', state: 'raised', level: 1, locationId: null, teamId: null, incidentId: null, step: null, orderId: null, title: '测试消息（联防系统）', townshipId: null, gridId: null,
      at: now, raisedAt: now, deadline: null, lon: null, lat: null, note: `由 ${request.user!.username} 发送的测试`, acknowledged: null, resolved: null, escalatedAt: null, sent: null,
      history: [{ event: 'raised', by: 'system', at: now, note: null }],
    };
    const delivery = await hooks.test(h, sample);
    await app.auditRequest(request, { action: 'config_change', target: `webhook:${h.id}`, detail: { op: 'test', status: delivery.status, error: delivery.error } });
    return { delivery };
  });
};

export default webhookRoutes;
