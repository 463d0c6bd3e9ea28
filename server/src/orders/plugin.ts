/**
 * Registers orders (`app.orders`): the service, its routes, the live news (`order:new` and
 * `order:changed` to the recipient teams' phones, `order:updated` with the receipts to the
 * county's maps and each recipient's organisation's coordinators) and the periodic check
 * (ORDER_TICK_MS) of unread and go-to orders.
 */
import fp from 'fastify-plugin';
import { organisationRoom, PATROL_NAMESPACE, ROOMS, teamRoom } from '../events.ts';
import { createOrdersService, forTeam, type OrdersService } from './service.ts';
import type { OrderView } from './schemas.ts';
import orderRoutes from './routes.ts';
import { every } from '../periodic.ts';

declare module 'fastify' {
  interface FastifyInstance {
    orders: OrdersService;
  }
}

export default fp(
  async (app) => {
    /** `teamId` given: a receipt of that team changed; otherwise the order is new. */
    const announce = (order: OrderView, teamId?: string) => {
      const at = app.clock.now();
      const teams = app.teams.cachedAssigned();
      app.io.to(ROOMS.county).emit('order:updated', { orders: [order], at });
      const byOrg = new Map<string, string[]>();
      for (const id of order.teamIds) {
        const org = teams.get(id)?.organisationId;
        if (org) byOrg.set(org, [...(byOrg.get(org) ?? []), id]);
      }
      for (const [org, ids] of byOrg) {
        const own = { ...order, teamIds: ids, receipts: order.receipts.filter((r) => ids.includes(r.teamId)) };
        app.io.to(organisationRoom(org)).except(ROOMS.county).emit('order:updated', { orders: [own], at });
      }
      for (const id of teamId ? [teamId] : order.teamIds) {
        const event = teamId ? 'order:changed' : 'order:new';
        const p = forTeam(order, id);
        app.io.to(teamRoom(id)).except([ROOMS.county, ROOMS.dashboards]).emit(event, p);
        app.io.of(PATROL_NAMESPACE).to(teamRoom(id)).emit(event, p);
      }
    };
    const service = createOrdersService(app, announce);
    app.decorate('orders', service);
    await app.register(orderRoutes);
    every(app, app.config.orderTickMs, () => service.tick(), 'orders: periodic check failed');
  },
  { name: 'orders', dependencies: ['redis', 'socket', 'access', 'teams', 'scope', 'alerts'] },
);
