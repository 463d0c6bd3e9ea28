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
import { SnapshotStore } from './snapshot-store.svelte';

export class LiveAssignments extends SnapshotStore<Assignment, AssignmentsBatch, AssignmentsResponse> {
  constructor(feed: LiveFeed) {
    super(feed, 'Assignments failed to load');
  }

  all(): IterableIterator<Assignment> {
    void this.version;
    return this.items.values();
  }

  /** A team's shifts in force at `now`. */
  forTeam(teamId: string, now: number): Assignment[] {
    return activeShifts(this.all(), teamId, now);
  }

  protected follow(feed: LiveFeed): (() => void)[] {
    return [feed.on('assignment:changed', (batch) => this.apply(batch))];
  }

  apply(batch: AssignmentsBatch): void {
    this.receive([batch]);
  }

  /** A batch is the newer copy of what it names: it always wins. */
  protected merge(into: Map<string, Assignment>, batch: AssignmentsBatch): boolean {
    for (const a of batch.assignments) into.set(a.id, a);
    for (const id of batch.removed) into.delete(id);
    return true;
  }

  protected fetchSnapshot(): Promise<AssignmentsResponse> {
    return getJson<AssignmentsResponse>('/api/assignments');
  }

  protected fromSnapshot({ assignments }: AssignmentsResponse): Map<string, Assignment> {
    return new Map(assignments.map((a) => [a.id, a]));
  }
}
