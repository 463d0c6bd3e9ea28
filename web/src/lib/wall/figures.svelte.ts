/**
 * The wall's figures (GET /api/wall/figures): fetched when a live event says something changed
 * (at most every MIN_GAP_MS), every POLL_MS regardless, and at once when the feed drops, since a
 * revoked display is told by its socket closing: a 401 then ends the wall (revoked / unknown)
 * instead of retrying forever. One document replaced each time: memory stays flat.
 */
import type { WallFigures } from '@lianfang/server/api';
import { getJson, HttpError } from '../api';
import type { LiveFeed } from '../live/feed.svelte';

export type WallStatus = 'loading' | 'ok' | 'revoked' | 'unknown';

/** Figures are fetched again at least this often. */
const POLL_MS = 5_000;
/** …and at most this often when live events ask. */
const MIN_GAP_MS = 1_500;
/** Live events after which the figures may have changed. */
const EVENTS = ['alert:raised', 'alert:updated', 'incident:changed', 'team:status', 'coverage:changed'] as const;

export class WallFiguresState {
  figures = $state.raw<WallFigures | null>(null);
  status = $state<WallStatus>('loading');
  /** When the last answer came (ours), for "updated at". */
  updatedAt = $state(0);

  #poll: ReturnType<typeof setInterval> | undefined;
  #later: ReturnType<typeof setTimeout> | undefined;
  #loading = false;
  #again = false;
  #lastStart = 0;
  #unsubscribe: (() => void)[] = [];

  /** `onEnded` runs once when the server says this display may read no more. */
  constructor(private readonly onEnded: () => void) {}

  start(feed: LiveFeed): void {
    for (const event of EVENTS) this.#unsubscribe.push(feed.on(event, () => this.request()));
    this.#unsubscribe.push(feed.onReconnect(() => this.now()));
    this.#poll = setInterval(() => this.now(), POLL_MS);
    this.now();
  }

  stop(): void {
    clearInterval(this.#poll);
    clearTimeout(this.#later);
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }

  get ended(): boolean {
    return this.status === 'revoked' || this.status === 'unknown';
  }

  /** Something changed: fetch soon, but not more often than MIN_GAP_MS. */
  request(): void {
    if (this.#later !== undefined || this.ended) return;
    const wait = Math.max(0, this.#lastStart + MIN_GAP_MS - Date.now());
    this.#later = setTimeout(() => {
      this.#later = undefined;
      this.now();
    }, wait);
  }

  /** Fetch now (once more after the one on its way, if any). */
  now(): void {
    if (this.ended) return;
    if (this.#loading) {
      this.#again = true;
      return;
    }
    void this.#load();
  }

  async #load(): Promise<void> {
    this.#loading = true;
    this.#lastStart = Date.now();
    try {
      this.figures = await getJson<WallFigures>('/api/wall/figures');
      this.status = 'ok';
      this.updatedAt = Date.now();
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) {
        this.status = error.problem.code === 'display_revoked' ? 'revoked' : 'unknown';
        this.stop();
        this.onEnded();
      }
      // Other failures (server restarting, network): keep the last figures, the next poll retries.
    } finally {
      this.#loading = false;
    }
    if (this.#again && !this.ended) {
      this.#again = false;
      void this.#load();
    }
  }
}
