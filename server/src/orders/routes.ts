/**
 * The order (指令) API:
 *   POST /api/orders              admin dispatcher coordinator(own teams): 201 sent, 200 a retry of the same id and body, 409 same id other body
 *   GET  /api/orders?teamId=&limit= viewers (coordinators: their organisation's teams): newest first, with each team's receipts
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canManageOrganisation, TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { OrderListQuery, OrderSchema, OrdersResponseSchema, SendOrderBody } from './schemas.ts';

const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/orders', { config: { access: TEAM_MANAGERS }, schema: { body: SendOrderBody, response: { 200: OrderSchema, 201: OrderSchema } } }, async (request, reply) => {
    const { order, created } = await app.orders.send(request.body, request.user!);
    if (created) {
      await app.auditRequest(request, { action: 'dispatch', target: `order:${order.id}`, detail: { op: 'order', teamIds: order.teamIds, text: order.text, lon: order.lon, lat: order.lat } });
    }
    reply.status(created ? 201 : 200);
    return order;
  });

  app.get('/api/orders', { config: { access: VIEWERS }, schema: { querystring: OrderListQuery, response: { 200: OrdersResponseSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const user = request.user!;
    const { teamId, limit = 50 } = request.query;
    let orders = await app.orders.list(teamId, limit);
    if (user.role === 'coordinator') {
      const teams = await app.teams.assigned();
      const mine = (id: string) => {
        const t = teams.get(id);
        return t !== undefined && canManageOrganisation(user, t.organisationId);
      };
      if (teamId && !mine(teamId)) throw new HttpError(403, `team ${teamId} belongs to another organisation`, 'query.teamId', { code: 'team_out_of_scope', params: { team: teamId } });
      orders = orders.filter((o) => o.teamIds.some(mine)).map((o) => ({ ...o, teamIds: o.teamIds.filter(mine), receipts: o.receipts.filter((r) => mine(r.teamId)) }));
    }
    return { orders, at: app.clock.now() };
  });
};

export default orderRoutes;
