/**
 * The outbox: what the patrol did (positions, check-ins, incident steps and reports) waiting for
 * the server, kept in localStorage while the phone is offline and sent once connected, oldest
 * first (see queue.ts for the order and why a resend is harmless). An item leaves only when the
 * server answered for it: nothing lost, nothing counted twice.
 */
import { RETRY_MS } from './socketAck';
import { browserStorage } from './ownerStorage';
import { enqueue, loadQueue, nextBatch, removeKeys, saveQueue, type Batch, type QueueItem } from './queue';

/** Sends one batch; false when it should be tried again later (no answer, or the server failed). */
export type SendBatch = (batch: Batch) => Promise<boolean>;

export class Outbox {
  items = $state.raw<QueueItem[]>([]);
  /** localStorage refused a write: the queue is only in memory. */
  storageFailed = $state(false);

  #flushing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param key where the queue is kept in localStorage.
   * @param canSend whether the link is up.
   * @param send sends one batch of the queue.
   * @param sendFirst sends what must go before the queue (the shift's start or end), or returns null when nothing must.
   */
  constructor(
    private readonly key: string,
    private readonly canSend: () => boolean,
    private readonly send: SendBatch,
    private readonly sendFirst: () => Promise<boolean> | null,
  ) {
    this.items = loadQueue(browserStorage(), key);
  }

  get size(): number {
    return this.items.length;
  }

  /** Queues `item` (once per key) and sends it if connected. */
  add(item: QueueItem): void {
    this.set(enqueue(this.items, item));
    void this.flush();
  }

  /** Takes the items with these keys out: the server answered for them. */
  remove(...keys: string[]): void {
    this.set(removeKeys(this.items, new Set(keys)));
  }

  /** Replaces the queue and keeps it. */
  set(items: QueueItem[]): void {
    this.items = items;
    this.storageFailed = !saveQueue(browserStorage(), this.key, items);
  }

  /** Sends what is queued, oldest first, while connected. One loop at a time; after a failure, again in a while. */
  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    clearTimeout(this.#retryTimer);
    try {
      while (this.canSend()) {
        const first = this.sendFirst();
        let sent: Promise<boolean>;
        if (first) sent = first;
        else {
          const batch = nextBatch(this.items);
          if (!batch) break;
          sent = this.send(batch);
        }
        if (!(await sent.catch(() => false))) {
          this.#retryTimer = setTimeout(() => void this.flush(), RETRY_MS);
          break;
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  stop(): void {
    clearTimeout(this.#retryTimer);
  }
}
