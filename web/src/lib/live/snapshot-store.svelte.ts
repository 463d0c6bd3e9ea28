/**
 * What the live states keyed by id share: an HTTP snapshot, then deltas from the feed, the snapshot
 * again after a reconnect (deltas sent while the socket was down are lost). Deltas that arrive
 * while a snapshot is on its way are held and merged into it, so neither one loses to the other.
 * When the server says its state changed wholesale, the snapshot is fetched again, and again once
 * more if a request was already on its way (it may predate the change).
 * Each state says only how to fetch its snapshot, which events carry its deltas and how one merges.
 */
import type { LiveFeed } from './feed.svelte';

const SNAPSHOT_RETRY_MS = 5_000;

export abstract class SnapshotStore<Item, Delta, Snapshot> {
  /** Bumped on every change: read it to depend on the state. */
  version = $state(0);
  /** Whether the snapshot has arrived at least once. */
  loaded = $state(false);

  /** Not reactive itself (thousands of entries); `version` says when it changed. */
  protected items = new Map<string, Item>();

  #sorted: Item[] = [];
  #sortedVersion = -1;
  #loading: Promise<void> | null = null;
  /** Set by `reloadNewer` while a request is on its way: that request may carry the old state. */
  #outdated = false;
  /** Deltas that arrived while a snapshot was on its way, to merge into it. */
  #pending: Delta[] | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: (() => void)[] = [];

  /** `failure` starts the warning logged when the snapshot fails ("Alerts failed to load"). */
  constructor(
    readonly feed: LiveFeed,
    private readonly failure: string,
  ) {}

  protected abstract fetchSnapshot(): Promise<Snapshot>;
  /** The state a snapshot holds, before the deltas that overtook it. */
  protected abstract fromSnapshot(snapshot: Snapshot): Map<string, Item>;
  /** Merges one delta (keeping the newer copy); true when it changed anything. */
  protected abstract merge(into: Map<string, Item>, delta: Delta): boolean;
  /** Subscribes to the feed events carrying deltas; returns their removals. */
  protected abstract follow(feed: LiveFeed): (() => void)[];

  /** Whether a delta that arrived while `snapshot` loaded is newer than it (by default `merge` decides). */
  protected overtakes(_delta: Delta, _snapshot: Snapshot): boolean {
    return true;
  }

  /** What else a snapshot carries besides the items (the server's clock, coverage's periods). */
  protected tookSnapshot(_snapshot: Snapshot): void {}

  get(id: string): Item | undefined {
    void this.version;
    return this.items.get(id);
  }

  /** Loads the snapshot and follows the feed (the feed itself is started by its owner). */
  start(): void {
    this.#stopped = false;
    void this.reload();
    this.#unsubscribe.push(...this.follow(this.feed), this.feed.onReconnect(() => void this.reload()));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** Loads the snapshot; concurrent calls share one request. Retries until it succeeds. */
  reload(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /**
   * Loads a snapshot taken after this call: the server said what it holds changed. A request
   * already on its way started before that and may answer with the old state, so its answer is
   * dropped and the snapshot fetched again (sharing one request would let the stale one win).
   */
  reloadNewer(): Promise<void> {
    if (this.#loading) this.#outdated = true;
    return this.reload();
  }

  /** Merges deltas now, and into the snapshot on its way if there is one. */
  protected receive(deltas: readonly Delta[]): void {
    this.#pending?.push(...deltas);
    let changed = false;
    for (const delta of deltas) changed = this.merge(this.items, delta) || changed;
    if (changed) this.version++;
  }

  /** The items sorted by `compare`, sorted again only after a change. */
  protected sortedBy(compare: (a: Item, b: Item) => number): readonly Item[] {
    const version = this.version;
    if (this.#sortedVersion !== version) {
      this.#sorted = [...this.items.values()].sort(compare);
      this.#sortedVersion = version;
    }
    return this.#sorted;
  }

  async #load(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#pending = [];
    try {
      let snapshot: Snapshot;
      do {
        this.#outdated = false;
        snapshot = await this.fetchSnapshot();
        if (this.#stopped) return;
      } while (this.#outdated);
      const next = this.fromSnapshot(snapshot);
      // Deltas that overtook the snapshot: keep whichever copy is further along.
      for (const delta of this.#pending) if (this.overtakes(delta, snapshot)) this.merge(next, delta);
      this.items = next;
      this.tookSnapshot(snapshot);
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn(`${this.failure}; retrying`, error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    } finally {
      this.#pending = null;
    }
  }
}
