/**
 * The team's orders (指令) on the patrol phone: those pushed (`order:new`), those sent while it
 * was offline (asked for on every connect), each acknowledged as received at once, marked read
 * when a member taps 收到; a new one rings (attention.ts). Arrival is the server's to decide.
 */
import type { Ack } from '@lianfang/server/events';
import type { PatrolOrder } from '../../../../server/src/orders/schemas';
import { ring } from './attention';
import type { PatrolLink, PatrolSocket } from './socket.svelte';

export type { PatrolOrder };

export class PatrolOrders {
  list = $state.raw<PatrolOrder[]>([]);

  constructor(private readonly link: PatrolLink) {}

  listen(socket: PatrolSocket): void {
    socket.on('order:new', (order) => {
      this.#put(order);
      ring();
      void this.#ack('order:received', order.id);
    });
    socket.on('order:changed', (order) => this.#put(order));
  }

  /** On every connect: orders sent while the phone was away. */
  async load(): Promise<void> {
    try {
      const res = await this.link.request<Ack<{ orders: PatrolOrder[] }>>((socket, ack) => socket.emit('patrol:orders', ack));
      if (!('data' in res)) return;
      const fresh = res.data.orders.filter((o) => !this.list.some((x) => x.id === o.id));
      for (const o of res.data.orders) this.#put(o);
      if (fresh.some((o) => o.readAt === null)) ring();
      for (const o of fresh) if (o.receivedAt === null) void this.#ack('order:received', o.id);
    } catch {
      // Lost with the connection: asked again on the next connect.
    }
  }

  /** 收到: the member has read it. */
  read(id: string): Promise<boolean> {
    return this.#ack('order:read', id);
  }

  /** An order read (and, for a go-to order, arrived) leaves the screen when dismissed. */
  dismiss(id: string): void {
    this.list = this.list.filter((o) => o.id !== id);
  }

  async #ack(event: 'order:received' | 'order:read', orderId: string): Promise<boolean> {
    try {
      const res = await this.link.request<Ack<PatrolOrder>>((socket, ack) => socket.emit(event, { orderId }, ack));
      if ('data' in res) this.#put(res.data);
      return 'data' in res;
    } catch {
      return false;
    }
  }

  #put(order: PatrolOrder): void {
    const i = this.list.findIndex((o) => o.id === order.id);
    if (i < 0) this.list = [order, ...this.list];
    else this.list = this.list.map((o, j) => (j === i ? order : o));
  }
}
