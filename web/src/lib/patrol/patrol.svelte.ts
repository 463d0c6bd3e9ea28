/**
 * The patrol page's live state, composed of its parts: the link to the server (socket.svelte.ts),
 * the phone's position (gps.svelte.ts), the outbox of what waits for the server (outbox.svelte.ts),
 * the shift and the position it shares (duty.svelte.ts), check-ins (checkins.svelte.ts), incidents
 * (patrolIncidents.svelte.ts) and the SOS (sos.svelte.ts). Here: who the phone reports for, its
 * team's status and shifts, and which part sends which of the outbox's batches.
 */
import type { Ack, PatrolIdentity, PatrolShifts } from '@lianfang/server/events';
import type { TeamStatus } from '@lianfang/server/api';
import { CheckIns } from './checkins.svelte';
import { Duty } from './duty.svelte';
import { Gps } from './gps.svelte';
import { Outbox } from './outbox.svelte';
import { keepIdentity, ownerKey, readIdentity, type PatrolAuth } from './ownerStorage';
import { PatrolIncidents } from './patrolIncidents.svelte';
import type { Batch } from './queue';
import { PatrolLink, type PatrolSocket } from './socket.svelte';
import { PatrolOrders } from './orders.svelte';
import { PatrolPosts } from './posts.svelte';
import { Sos } from './sos.svelte';

export class PatrolState {
  /** Shown until the server answers: names and the location list even before the first connect. */
  identity = $state.raw<PatrolIdentity | null>(null);
  status = $state<TeamStatus | null>(null);
  /** The team's shift in force and the next one, asked on each connect and after each change. */
  shifts = $state.raw<PatrolShifts | null>(null);

  readonly link: PatrolLink;
  readonly gps: Gps;
  readonly outbox: Outbox;
  readonly duty: Duty;
  readonly checkIns: CheckIns;
  readonly incidents: PatrolIncidents;
  readonly sos: Sos;
  readonly orders: PatrolOrders;
  /** The major-event posts the team is assigned to (岗位签到). */
  readonly posts: PatrolPosts;

  constructor(readonly auth: PatrolAuth) {
    this.identity = readIdentity(auth);
    const freshFix = () => this.gps.freshFix;
    this.link = new PatrolLink(auth, () => this.#onConnect(), (socket) => this.#listen(socket));
    this.outbox = new Outbox(ownerKey(auth, 'queue'), () => this.link.canSend, (batch) => this.#send(batch), () => this.duty.sendPending());
    this.duty = new Duty(auth, this.link, this.outbox, (status) => (this.status = status));
    this.gps = new Gps(
      (fix) => {
        this.duty.share(fix);
        this.checkIns.onFix(fix);
      },
      () => this.duty.onDuty,
    );
    this.checkIns = new CheckIns(this.link, this.outbox, freshFix);
    this.incidents = new PatrolIncidents(this.link, this.outbox, () => this.identity?.teamId ?? null, freshFix);
    this.sos = new Sos(this.link, freshFix);
    this.orders = new PatrolOrders(this.link);
    this.posts = new PatrolPosts(this.link);
  }

  start(): void {
    this.link.start();
    this.gps.start();
  }

  stop(): void {
    this.link.stop();
    this.gps.stop();
    this.checkIns.stop();
    this.outbox.stop();
    this.sos.stop();
  }

  /** Starts or ends the shift. Off duty, the position stays on the phone. */
  setDuty(onDuty: boolean): void {
    this.duty.set(onDuty, onDuty ? this.gps.freshFix : null);
  }

  #onConnect(): void {
    void this.#whoami().then(() => this.incidents.load());
    void this.#loadShifts();
    void this.orders.load();
    void this.posts.load();
    void this.outbox.flush();
  }

  #listen(socket: PatrolSocket): void {
    socket.on('team:status', (batch) => {
      const mine = batch.changes.findLast((c) => c.teamId === this.identity?.teamId);
      if (mine) this.status = mine.status;
    });
    socket.on('incident:changed', (batch) => this.incidents.apply(batch.incidents));
    socket.on('team:checkins', (batch) => this.checkIns.apply(batch, this.identity?.teamId));
    // Only the team's own shifts reach its room; ask again for the named current and next.
    socket.on('assignment:changed', () => void this.#loadShifts());
    this.orders.listen(socket);
  }

  async #whoami(): Promise<void> {
    try {
      const res = await this.link.request<Ack<PatrolIdentity>>((socket, ack) => socket.emit('patrol:whoami', ack));
      if ('error' in res) return;
      this.identity = res.data;
      this.status = res.data.status;
      keepIdentity(this.auth, res.data);
    } catch {
      // Lost with the connection: asked again on the next connect.
    }
  }

  async #loadShifts(): Promise<void> {
    try {
      const res = await this.link.request<Ack<PatrolShifts>>((socket, ack) => socket.emit('patrol:shifts', ack));
      if ('data' in res) this.shifts = res.data;
    } catch {
      // Lost with the connection: asked again on the next connect.
    }
  }

  /** Hands each batch of the outbox to the part that sends it. */
  #send(batch: Batch): Promise<boolean> {
    switch (batch.kind) {
      case 'fixes':
        return this.duty.sendFixes(batch);
      case 'checkin':
        return this.checkIns.send(batch);
      case 'step':
        return this.incidents.sendStep(batch);
      case 'report':
        return this.incidents.sendReport(batch);
    }
  }
}
