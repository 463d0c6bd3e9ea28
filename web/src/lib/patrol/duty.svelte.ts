/**
 * The shift and the position it shares: on duty, fixes worth keeping go into the outbox; off
 * duty, the position stays on the phone. Starting or ending the shift is sent ahead of the
 * queue, and again until the server answers.
 */
import type { Ack, PatrolFix } from '@lianfang/server/events';
import type { PositionsAccepted, TeamStatus } from '@lianfang/server/api';
import { worthKeeping } from './fixes';
import type { Outbox } from './outbox.svelte';
import { keepOnDuty, readOnDuty, type PatrolAuth } from './ownerStorage';
import { rejectedFixIndex, type Batch } from './queue';
import type { PatrolLink } from './socket.svelte';
import { isRetry } from './socketAck';

export class Duty {
  /** The patrol's own choice: on duty shares the position, off duty stops. */
  onDuty = $state(true);

  #lastKept: PatrolFix | null = null;
  #pending = false;

  /** @param onStatus the team's status as the server answered the shift's start or end. */
  constructor(
    private readonly auth: PatrolAuth,
    private readonly link: PatrolLink,
    private readonly outbox: Outbox,
    private readonly onStatus: (status: TeamStatus) => void,
  ) {
    this.onDuty = readOnDuty(auth);
  }

  /** A new fix: queued when on duty and worth sending. */
  share(fix: PatrolFix): void {
    if (!this.onDuty || !worthKeeping(this.#lastKept, fix)) return;
    this.#lastKept = fix;
    this.outbox.add({ kind: 'fix', fix });
  }

  /** Starts or ends the shift. Back on duty, `fix` (the current one, if fresh) goes at once so the map shows the team without waiting. */
  set(onDuty: boolean, fix: PatrolFix | null): void {
    this.onDuty = onDuty;
    keepOnDuty(this.auth, onDuty);
    this.#pending = true;
    if (onDuty && fix) {
      this.#lastKept = fix;
      this.outbox.add({ kind: 'fix', fix });
    } else void this.outbox.flush();
  }

  /**
   * The shift's start or end, when one waits for the server: it goes before the queue. Fixes sent
   * after an end would not put the team back on patrol (they were taken earlier), but after a
   * start they should show it at once.
   */
  sendPending(): Promise<boolean> | null {
    return this.#pending ? this.#send() : null;
  }

  /** False when it should be sent again later. */
  async #send(): Promise<boolean> {
    const onDuty = this.onDuty;
    const res = await this.link.request<Ack<{ status: TeamStatus }>>((socket, ack) => socket.emit('patrol:duty', { onDuty }, ack));
    if ('error' in res) {
      if (isRetry(res)) return false;
      if (this.onDuty === onDuty) this.#pending = false; // refused for good: nothing to resend
      return true;
    }
    // Switched again while this was on its way: that switch is still pending.
    if (this.onDuty === onDuty) {
      this.#pending = false;
      this.onStatus(res.data.status);
    }
    return true;
  }

  /** Sends a run of fixes; one the server will never take (its clock far off, outside the county) is dropped, the rest kept. */
  async sendFixes(batch: Batch & { kind: 'fixes' }): Promise<boolean> {
    const res = await this.link.request<Ack<PositionsAccepted>>((socket, ack) => socket.emit('patrol:position', { positions: batch.fixes }, ack));
    if ('data' in res) {
      this.outbox.remove(...batch.keys);
      return true;
    }
    const index = rejectedFixIndex(res.error.field);
    const key = index !== null ? batch.keys[index] : undefined;
    if (!key) return false;
    this.outbox.remove(key);
    return true;
  }
}
