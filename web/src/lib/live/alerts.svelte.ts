/**
 * Open alerts (告警), keyed by id: the `GET /api/alerts` snapshot, then `alert:raised` and
 * `alert:updated`; the snapshot again after a reconnect or when the server says a batch was too big.
 * Actions (acknowledge, resolve, send a team) apply the server's answer at once, so the acting
 * screen does not wait for the broadcast the others get.
 */
import type { AlertActionResponse, AlertView, AlertsResponse, SendTeamResponse } from '@lianfang/server/api';
import type { AlertsBatch } from '@lianfang/server/events';
import { getJson, postJson } from '../api';
import { compareAlerts, isNewer } from './alerts';
import type { LiveFeed } from './feed.svelte';

const SNAPSHOT_RETRY_MS = 5_000;
/** Every open alert: a county has 5,000 key locations and 300 teams. */
const SNAPSHOT_LIMIT = 5000;

export class LiveAlerts {
  #alerts = new Map<string, AlertView>();
  version = $state(0);
  loaded = $state(false);

  #sorted: AlertView[] = [];
  #sortedVersion = -1;
  #loading: Promise<void> | null = null;
  #pending: AlertView[] | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: (() => void)[] = [];

  constructor(readonly feed: LiveFeed) {}

  get(id: string): AlertView | undefined {
    void this.version;
    return this.#alerts.get(id);
  }

  /** Open alerts, most urgent first. */
  sorted(): readonly AlertView[] {
    const version = this.version;
    if (this.#sortedVersion !== version) {
      this.#sorted = [...this.#alerts.values()].sort(compareAlerts);
      this.#sortedVersion = version;
    }
    return this.#sorted;
  }

  start(): void {
    this.#stopped = false;
    void this.reload();
    const onBatch = (batch: AlertsBatch) => {
      if (batch.reload) void this.reload();
      else this.apply(batch.alerts);
    };
    this.#unsubscribe.push(
      this.feed.on('alert:raised', onBatch),
      this.feed.on('alert:updated', onBatch),
      this.feed.onReconnect(() => void this.reload()),
    );
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** Takes newer copies of alerts; resolved ones leave the list. */
  apply(alerts: readonly AlertView[]): void {
    this.#pending?.push(...alerts);
    if (this.#merge(this.#alerts, alerts)) this.version++;
  }

  #merge(into: Map<string, AlertView>, alerts: readonly AlertView[]): boolean {
    let changed = false;
    for (const alert of alerts) {
      const held = into.get(alert.id);
      if (!isNewer(alert, held)) continue;
      if (alert.state === 'resolved') {
        // A resolved alert leaves the panel; it is never raised again under the same id.
        if (held) changed = into.delete(alert.id) || changed;
        continue;
      }
      into.set(alert.id, alert);
      changed = true;
    }
    return changed;
  }

  async acknowledge(id: string, note: string): Promise<AlertView> {
    const { alert } = await postJson<AlertActionResponse>(`/api/alerts/${encodeURIComponent(id)}/acknowledge`, note ? { note } : {});
    this.apply([alert]);
    return alert;
  }

  async resolve(id: string, reason: string, note: string): Promise<AlertView> {
    const { alert } = await postJson<AlertActionResponse>(`/api/alerts/${encodeURIComponent(id)}/resolve`, note ? { reason, note } : { reason });
    this.apply([alert]);
    return alert;
  }

  /** 派遣: asks the team, on its patrol page, to go to the location; its open alerts note who was sent. */
  async send(locationId: string, teamId: string): Promise<SendTeamResponse> {
    const response = await postJson<SendTeamResponse>(`/api/coverage/locations/${encodeURIComponent(locationId)}/send`, { teamId });
    this.apply(response.alerts);
    return response;
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
      const { alerts } = await getJson<AlertsResponse>(`/api/alerts?state=open&limit=${SNAPSHOT_LIMIT}`);
      if (this.#stopped) return;
      const next = new Map(alerts.map((a) => [a.id, a]));
      // Batches that overtook the snapshot: keep whichever copy is further along.
      this.#merge(next, this.#pending);
      this.#alerts = next;
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn('Alerts failed to load; retrying', error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    } finally {
      this.#pending = null;
    }
  }
}
