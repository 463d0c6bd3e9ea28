/**
 * The SOS: raised on every dashboard over the patrol socket (a device link or a patrol account),
 * at the phone's fix when it has a fresh one. It never waits in the outbox: without a network it
 * is tried again every few seconds while the page is open.
 */
import type { Ack, PatrolFix } from '@lianfang/server/events';
import type { PatrolLink } from './socket.svelte';
import { RETRY_MS } from './socketAck';

export type SosState = 'idle' | 'sending' | 'sent' | 'retrying' | 'failed';

export class Sos {
  state = $state<SosState>('idle');

  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @param freshFix the phone's fix if it still says where the phone is. */
  constructor(
    private readonly link: PatrolLink,
    private readonly freshFix: () => PatrolFix | null,
  ) {}

  raise(): void {
    if (this.state === 'sending' || this.state === 'retrying') return;
    this.state = 'sending';
    void this.#send();
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.state = 'idle';
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  async #send(): Promise<void> {
    const fix = this.freshFix();
    try {
      if (!this.link.canSend) throw new Error('offline');
      const res = await this.link.request<Ack<{ alertId: string; created: boolean }>>((socket, ack) =>
        socket.emit('patrol:sos', fix ? { lon: fix.lon, lat: fix.lat } : {}, ack),
      );
      this.state = 'error' in res ? 'failed' : 'sent';
    } catch {
      // No network, or the server failing: keep trying while the page is open.
      this.state = 'retrying';
      if (!this.link.stopped) this.#timer = setTimeout(() => void this.#send(), RETRY_MS);
    }
  }
}
