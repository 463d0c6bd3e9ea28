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
import { SnapshotStore } from './snapshot-store.svelte';

/** Every open alert: a county has 5,000 key locations and 300 teams. */
const SNAPSHOT_LIMIT = 5000;

export class LiveAlerts extends SnapshotStore<AlertView, AlertView, AlertsResponse> {
  constructor(feed: LiveFeed) {
    super(feed, 'Alerts failed to load');
  }

  /** Open alerts, most urgent first. */
  sorted(): readonly AlertView[] {
    return this.sortedBy(compareAlerts);
  }

  protected follow(feed: LiveFeed): (() => void)[] {
    const onBatch = (batch: AlertsBatch) => {
      if (batch.reload) void this.reloadNewer();
      else this.apply(batch.alerts);
    };
    return [feed.on('alert:raised', onBatch), feed.on('alert:updated', onBatch)];
  }

  /** Takes newer copies of alerts; resolved ones leave the list. */
  apply(alerts: readonly AlertView[]): void {
    this.receive(alerts);
  }

  protected merge(into: Map<string, AlertView>, alert: AlertView): boolean {
    const held = into.get(alert.id);
    if (!isNewer(alert, held)) return false;
    // A resolved alert leaves the panel; it is never raised again under the same id.
    if (alert.state === 'resolved') return held ? into.delete(alert.id) : false;
    into.set(alert.id, alert);
    return true;
  }

  protected fetchSnapshot(): Promise<AlertsResponse> {
    return getJson<AlertsResponse>(`/api/alerts?state=open&limit=${SNAPSHOT_LIMIT}`);
  }

  protected fromSnapshot({ alerts }: AlertsResponse): Map<string, AlertView> {
    return new Map(alerts.map((a) => [a.id, a]));
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
}
