/**
 * What every live feed shares: changes are queued as they land in Redis and sent once per
 * tick, each key's newest value only, so a map gets a bounded number of messages a second
 * however much changes. Subclasses say how a batch is announced.
 */
export abstract class TickFlusher {
  #timer: NodeJS.Timeout | undefined;

  constructor(protected readonly tickMs: number) {}

  /** Sends what is queued; nothing when nothing is. */
  abstract flush(): void;

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.flush(), this.tickMs);
    this.#timer.unref();
  }

  /** Stops the tick and sends what is still queued. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.flush();
  }
}

/** Keeps the newest value per key until the tick sends them all in one batch. */
export class LatestByKey<V> extends TickFlusher {
  #pending = new Map<string, V>();

  constructor(
    private readonly send: (values: V[], at: number) => void,
    private readonly now: () => number,
    tickMs: number,
  ) {
    super(tickMs);
  }

  set(key: string, value: V): void {
    this.#pending.set(key, value);
  }

  get(key: string): V | undefined {
    return this.#pending.get(key);
  }

  /** Forgets what is queued. */
  clear(): void {
    this.#pending.clear();
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  flush(): void {
    if (this.#pending.size === 0) return;
    const values = [...this.#pending.values()];
    this.#pending.clear();
    this.send(values, this.now());
  }
}
