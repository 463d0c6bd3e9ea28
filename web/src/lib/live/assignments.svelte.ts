/**
 * Patrol assignments (排班) on the command map, keyed by id: the `GET /api/assignments` snapshot
 * (shifts active now), then `assignment:changed` batches (created or changed, and removed ids);
 * the snapshot again after a reconnect. A team's popup shows its shift from here.
 */
import type { Assignment, AssignmentsResponse } from '@lianfang/server/api';
import type { AssignmentsBatch } from '@lianfang/server/events';
import { getJson } from '../api';
import type { LiveFeed } from './feed.svelte';
import { activeShifts } from './shifts';

const SNAPSHOT_RETRY_MS = 5_000;

export class LiveAssignments {
  #assignments = new Map<string, Assignment>();
  version = $state(0);
  loaded = $state(false);

  #loading: Promise<void> | null = null;
  #pending: AssignmentsBatch[] | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: (() => void)[] = [];

  constructor(readonly feed: LiveFeed) {}

  all(): IterableIterator<Assignment> {
    void this.version;
    return this.#assignments.values();
  }

  /** A team's shifts in force at `now`. */
  forTeam(teamId: string, now: number): Assignment[] {
    return activeShifts(this.all(), teamId, now);
  }

  start(): void {
    this.#stopped = false;
    void this.reload();
    this.#unsubscribe.push(
      this.feed.on('assignment:changed', (batch) => this.apply(batch)),
      this.feed.onReconnect(() => void this.reload()),
    );
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  apply(batch: AssignmentsBatch): void {
    this.#pending?.push(batch);
    this.#merge(this.#assignments, batch);
    this.version++;
  }

  #merge(into: Map<string, Assignment>, batch: AssignmentsBatch): void {
    for (const a of batch.assignments) into.set(a.id, a);
    for (const id of batch.removed) into.delete(id);
  }

  reload(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#pending = [];
    try {
      const { assignments } = await getJson<AssignmentsResponse>('/api/assignments');
      if (this.#stopped) return;
      const next = new Map(assignments.map((a) => [a.id, a]));
      for (const batch of this.#pending) this.#merge(next, batch);
      this.#assignments = next;
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn('Assignments failed to load; retrying', error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    } finally {
      this.#pending = null;
    }
  }
}
