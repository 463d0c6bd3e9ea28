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
import { SnapshotStore } from './snapshot-store.svelte';
import { compareIncidents, isLate, isNewerIncident, isOpen, pulses } from './incidents';

/** A 4xx from a form's POST with the field it names (`body.description` → `description`); words with `problemText(error.problem)`. */
export class IncidentRequestError extends HttpError {
  readonly field: string | null;

  constructor(status: number, url: string, body: Partial<ErrorResponse>) {
    super(status, url, null, body);
    this.field = typeof body.field === 'string' ? body.field.replace(/^(body|querystring|params)[./]/, '') : null;
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
  throw new IncidentRequestError(response.status, url, error);
}
/** The newest incidents of every state (the panel's history)… */
const RECENT_LIMIT = 300;
/** …and every open one, however old: their states, each from the server's small open set. */
const OPEN_STATES = ['new', 'dispatched', 'accepted', 'on_scene', 'escalated'] as const;
/** The most GET /api/incidents answers at once. */
const OPEN_LIMIT = 1000;

/** What a dispute's resolve or pass-up records about its mediation (all optional; a room needs a mediator). */
export interface MediationInput {
  roomId?: string;
  mediator?: string;
  outcome?: 'settled' | 'not_settled' | 'withdrawn' | 'passed_up';
  agreement?: string;
}

export class LiveIncidents extends SnapshotStore<IncidentView, IncidentView, IncidentsResponse> {
  constructor(feed: LiveFeed) {
    super(feed, 'Incidents failed to load');
  }

  get size(): number {
    void this.version;
    return this.items.size;
  }

  /** Every incident held, newest first. */
  sorted(): readonly IncidentView[] {
    return this.sortedBy(compareIncidents);
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

  protected follow(feed: LiveFeed): (() => void)[] {
    return [feed.on('incident:changed', (batch) => this.apply(batch.incidents))];
  }

  /** Takes newer copies (by `version`). */
  apply(incidents: readonly IncidentView[]): void {
    this.receive(incidents);
  }

  protected merge(into: Map<string, IncidentView>, incident: IncidentView): boolean {
    if (!isNewerIncident(incident, into.get(incident.id))) return false;
    into.set(incident.id, incident);
    return true;
  }

  /** The newest of every state and every open one, as one answer (the first's `at`). */
  protected async fetchSnapshot(): Promise<IncidentsResponse> {
    const answers = await Promise.all([
      getJson<IncidentsResponse>(`/api/incidents?limit=${RECENT_LIMIT}`),
      ...OPEN_STATES.map((state) => getJson<IncidentsResponse>(`/api/incidents?state=${state}&limit=${OPEN_LIMIT}`)),
    ]);
    return { ...answers[0]!, incidents: answers.flatMap((a) => a.incidents) };
  }

  protected fromSnapshot({ incidents }: IncidentsResponse): Map<string, IncidentView> {
    // The answers overlap (an open incident among the newest): keep the newer copy.
    const next = new Map<string, IncidentView>();
    for (const incident of incidents) this.merge(next, incident);
    return next;
  }

  protected override tookSnapshot({ at }: IncidentsResponse): void {
    this.feed.sawServerTime(at);
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

  /** 上报; a dispute may name the room that mediated it before (room, mediator, agreement). */
  async escalate(id: string, reason: string, mediation: MediationInput = {}): Promise<IncidentView> {
    return this.#act(id, 'escalate', { reason, ...mediation });
  }

  async reopen(id: string, note?: string): Promise<IncidentView> {
    return this.#act(id, 'reopen', note ? { note } : {});
  }

  /** Accept, arrive or resolve on the team's behalf (it called in by radio). */
  async step(id: string, action: Extract<IncidentAction, 'accept' | 'arrive' | 'resolve'>, note?: string, mediation: MediationInput = {}): Promise<IncidentView> {
    return this.#act(id, action, { ...(note ? { note } : {}), ...mediation });
  }

  /** The incident as the server has it now (after a 409, to show who won). */
  async refresh(id: string): Promise<IncidentView | undefined> {
    const incident = await getJson<IncidentView | { incident: IncidentView }>(`/api/incidents/${encodeURIComponent(id)}`);
    const view = 'incident' in incident ? incident.incident : incident;
    this.apply([view]);
    return this.items.get(id);
  }

  async #act(id: string, action: string, body: object): Promise<IncidentView> {
    const { incident } = await postJson<IncidentActionResponse>(`/api/incidents/${encodeURIComponent(id)}/${action}`, body);
    this.apply([incident]);
    return incident;
  }
}
