/**
 * Major events 重大活动 on the command map: the list, the one event looked at and its board,
 * reloaded whenever the server says its board changed (`event:board`), an alert or incident moved,
 * and after a reconnect. The board is the server's (the wall reuses the same endpoint).
 */
import type { EventBoard, EventView } from '@lianfang/server/api';
import { getJson, postJson } from '../api';
import type { LiveFeed } from '../live/feed.svelte';

export class EventBoards {
  events = $state.raw<EventView[]>([]);
  selectedId = $state<string | null>(null);
  board = $state.raw<EventBoard | null>(null);
  failed = $state(false);

  #off: (() => void)[] = [];
  #request = 0;
  #pending: ReturnType<typeof setTimeout> | undefined;

  /** `listEvents: false`: one event's board only (an event wall, which may read nothing else). */
  constructor(
    private readonly feed: Pick<LiveFeed, 'on' | 'onReconnect'>,
    private readonly options: { listEvents: boolean } = { listEvents: true },
  ) {}

  start(): void {
    const later = () => this.#reloadSoon();
    const listed = () => (this.options.listEvents ? this.list() : Promise.resolve());
    this.#off = [
      this.feed.on('event:board', (news) => {
        if (news.eventId === this.selectedId) later();
        else void listed();
      }),
      this.feed.on('alert:raised', later),
      this.feed.on('alert:updated', later),
      this.feed.on('incident:changed', later),
      this.feed.onReconnect(() => void listed().then(() => this.reload())),
    ];
  }

  stop(): void {
    for (const off of this.#off) off();
    this.#off = [];
    clearTimeout(this.#pending);
  }

  async list(): Promise<void> {
    try {
      this.events = (await getJson<{ events: EventView[] }>('/api/events?limit=50')).events;
    } catch {
      // Listed again on the next news or reconnect.
    }
  }

  select(id: string | null): Promise<void> {
    this.selectedId = id;
    this.board = null;
    return this.reload();
  }

  async reload(): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    const request = ++this.#request;
    try {
      const board = await getJson<EventBoard>(`/api/events/${encodeURIComponent(id)}/board`);
      if (request !== this.#request) return;
      this.board = board;
      this.failed = false;
    } catch {
      if (request === this.#request) this.failed = true;
    }
  }

  async cancel(id: string): Promise<void> {
    await postJson(`/api/events/${encodeURIComponent(id)}/cancel`);
    await Promise.all([this.list(), this.reload()]);
  }

  /** Many alerts move at once on a tick: one reload for them. */
  #reloadSoon(): void {
    if (!this.selectedId) return;
    clearTimeout(this.#pending);
    this.#pending = setTimeout(() => void this.reload(), 150);
  }
}
