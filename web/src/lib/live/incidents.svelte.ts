/**
 * Incidents (事件/警情) on the command map, keyed by id: the `GET /api/incidents` snapshot (the
 * newest 300 of every state, and every open one), then `incident:changed` batches; the snapshot
 * again after a reconnect.
 * Actions apply the server's answer at once, so the acting screen does not wait for the
 * broadcast the others get.
 */
import type { IncidentAction } from '@lianfang/geo';
import type {
  CreateIncidentRequest,
  DispatchRequest,
  IncidentActionResponse,
  IncidentView,
  IncidentsResponse,
} from '@lianfang/server/api';
import type { ErrorResponse } from '@lianfang/server/api';
import { HttpError, getJson, postJson, reportUnauthorized } from '../api';
import type { LiveFeed } from './feed.svelte';
import { compareIncidents, isLate, isNewerIncident, isOpen, pulses } from './incidents';

const SNAPSHOT_RETRY_MS = 5_000;

/** A 4xx from POST /api/incidents with the field it names (`body.description` → `description`). */
export class IncidentRequestError extends HttpError {
  constructor(
    status: number,
    url: string,
    readonly field: string | null,
    readonly detail: string,
  ) {
    super(status, url);
  }
}

/** POST that keeps the error body: a form shows which field was refused and why. */
export async function postReadingErrors<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return (await response.json()) as T;
  if (response.status === 401) reportUnauthorized();
  let error: Partial<ErrorResponse> = {};
  try {
    error = (await response.json()) as ErrorResponse;
  } catch {
    // Not JSON (a proxy's page): no field to show.
  }
  const field = typeof error.field === 'string' ? error.field.replace(/^(body|querystring|params)[./]/, '') : null;
  throw new IncidentRequestError(response.status, url, field, typeof error.message === 'string' ? error.message : '');
}
/** The newest incidents of every state (the panel's history)… */
const RECENT_LIMIT = 300;
/** …and every open one, however old: their states, each from the server's small open set. */
const OPEN_STATES = ['new', 'dispatched', 'accepted', 'on_scene', 'escalated'] as const;
/** The most GET /api/incidents answers at once. */
const OPEN_LIMIT = 1000;

export class LiveIncidents {
  #incidents = new Map<string, IncidentView>();
  /** Bumped on every change: read it to depend on the list. */
  version = $state(0);
  loaded = $state(false);

  #sorted: IncidentView[] = [];
  #sortedVersion = -1;
  #loading: Promise<void> | null = null;
  #pending: IncidentView[] | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: (() => void)[] = [];

  constructor(readonly feed: LiveFeed) {}

  get(id: string): IncidentView | undefined {
    void this.version;
    return this.#incidents.get(id);
  }

  get size(): number {
    void this.version;
    return this.#incidents.size;
  }

  /** Every incident held, newest first. */
  sorted(): readonly IncidentView[] {
    const version = this.version;
    if (this.#sortedVersion !== version) {
      this.#sorted = [...this.#incidents.values()].sort(compareIncidents);
      this.#sortedVersion = version;
    }
    return this.#sorted;
  }

  /** Open (not resolved) incidents. */
  openCount(): number {
    return this.sorted().filter(isOpen).length;
  }

  lateCount(now: number): number {
    return this.sorted().filter((i) => isLate(i, now)).length;
  }

  /** New, unacknowledged ones: their markers pulse. */
  pulsing(): IncidentView[] {
    return this.sorted().filter(pulses);
  }

  /** Now on the server's clock (late is the server's late), as the latest message from it said. */
  now(localNow = Date.now()): number {
    return localNow + this.feed.clockOffset;
  }

  start(): void {
    this.#stopped = false;
    void this.reload();
    this.#unsubscribe.push(
      this.feed.on('incident:changed', (batch) => this.apply(batch.incidents)),
      this.feed.onReconnect(() => void this.reload()),
    );
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** Takes newer copies (by `version`). */
  apply(incidents: readonly IncidentView[]): void {
    this.#pending?.push(...incidents);
    if (this.#merge(this.#incidents, incidents)) this.version++;
  }

  #merge(into: Map<string, IncidentView>, incidents: readonly IncidentView[]): boolean {
    let changed = false;
    for (const incident of incidents) {
      if (!isNewerIncident(incident, into.get(incident.id))) continue;
      into.set(incident.id, incident);
      changed = true;
    }
    return changed;
  }

  /** 新建事件 from the map: 201 new, 200 a retry of the same id (both answer the incident). */
  async create(request: CreateIncidentRequest): Promise<IncidentView> {
    const response = await postReadingErrors<{ incident: IncidentView }>('/api/incidents', request);
    this.apply([response.incident]);
    return response.incident;
  }

  async acknowledge(id: string): Promise<IncidentView> {
    return this.#act(id, 'acknowledge', {});
  }

  /** 派警 with the version the dispatcher saw: 409 when someone changed it first. */
  async dispatch(id: string, request: DispatchRequest): Promise<IncidentView> {
    return this.#act(id, 'dispatch', request);
  }

  async escalate(id: string, reason: string): Promise<IncidentView> {
    return this.#act(id, 'escalate', { reason });
  }

  async reopen(id: string, note?: string): Promise<IncidentView> {
    return this.#act(id, 'reopen', note ? { note } : {});
  }

  /** Accept, arrive or resolve on the team's behalf (it called in by radio). */
  async step(id: string, action: Extract<IncidentAction, 'accept' | 'arrive' | 'resolve'>, note?: string): Promise<IncidentView> {
    return this.#act(id, action, note ? { note } : {});
  }

  /** The incident as the server has it now (after a 409, to show who won). */
  async refresh(id: string): Promise<IncidentView | undefined> {
    const incident = await getJson<IncidentView | { incident: IncidentView }>(`/api/incidents/${encodeURIComponent(id)}`);
    const view = 'incident' in incident ? incident.incident : incident;
    this.apply([view]);
    return this.#incidents.get(id);
  }

  async #act(id: string, action: string, body: object): Promise<IncidentView> {
    const { incident } = await postJson<IncidentActionResponse>(`/api/incidents/${encodeURIComponent(id)}/${action}`, body);
    this.apply([incident]);
    return incident;
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
      const answers = await Promise.all([
        getJson<IncidentsResponse>(`/api/incidents?limit=${RECENT_LIMIT}`),
        ...OPEN_STATES.map((state) => getJson<IncidentsResponse>(`/api/incidents?state=${state}&limit=${OPEN_LIMIT}`)),
      ]);
      if (this.#stopped) return;
      this.feed.sawServerTime(answers[0]!.at);
      const next = new Map<string, IncidentView>();
      this.#merge(next, answers.flatMap((a) => a.incidents));
      // Batches that overtook the snapshot: keep whichever copy is newer.
      this.#merge(next, this.#pending);
      this.#incidents = next;
      this.loaded = true;
      this.version++;
    } catch (error) {
      if (this.#stopped) return;
      console.warn('Incidents failed to load; retrying', error);
      this.#retryTimer = setTimeout(() => void this.reload(), SNAPSHOT_RETRY_MS);
    } finally {
      this.#pending = null;
    }
  }
}
