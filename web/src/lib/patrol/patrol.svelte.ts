/**
 * The patrol page's live state: who the phone reports for, its latest fix, the outbox of
 * positions, check-ins and incident steps (sent over the `/patrol` socket, kept in localStorage
 * while the phone is offline), the team's status and duty, the incidents dispatched to the team,
 * and the SOS.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, CheckInAck, ClientToServerEvents, PatrolCheckIn, PatrolFix, PatrolIdentity, ServerToClientEvents } from '@lianfang/server/events';
import type { PositionsAccepted, TeamStatus } from '@lianfang/server/api';
import { EMPTY_LIST, applyIncidents, refusalOf, stateAfter, type IncidentList, type IncidentView, type PatrolAction, type Refusal } from './incidents';
import { locationOfCode, newCheckInId } from './link';
import {
  RETRY_MESSAGE,
  enqueue,
  fixFromPosition,
  loadQueue,
  nextBatch,
  rejectedFixIndex,
  removeKeys,
  saveQueue,
  worthKeeping,
  type Batch,
  type IncidentReportPayload,
  type QueueItem,
} from './queue';

/** How the phone reports: a device link (identifier) or a signed-in patrol account (session cookie). */
export type PatrolAuth = { kind: 'device'; identifier: string } | { kind: 'session'; userId: string; name: string };

export type PatrolConnection = 'connecting' | 'online' | 'offline' | 'refused';
/** Why the server refused the socket, from its handshake error. */
export type PatrolRefusal = 'unknown' | 'revoked' | 'unauthorized';
export type GeoProblem = 'denied' | 'unavailable' | 'insecure' | 'unsupported';

/** What the page last learned about checking in at one key location. */
export type LocationResult =
  | { state: 'done'; time: number; duplicate: boolean }
  | { state: 'too-far'; distance: number; allowed: number }
  | { state: 'rejected' }
  | { state: 'no-fix' };

export type SosState = 'idle' | 'sending' | 'sent' | 'retrying' | 'failed';

/** The patrol's own incident report: on its way, kept for later, taken (with its reference), or refused. */
export type ReportState =
  | { state: 'idle' }
  | { state: 'sending'; id: string }
  | { state: 'queued'; id: string }
  | { state: 'done'; id: string; reference: string }
  | { state: 'refused'; id: string; message: string; refusal: Refusal };

/** What the patrol writes in the report form. */
export interface ReportInput {
  category: IncidentReportPayload['category'];
  description: string;
  address: string;
}

const REFUSALS: Record<string, PatrolRefusal> = {
  'unknown device': 'unknown',
  'revoked device': 'revoked',
  unauthorized: 'unauthorized',
};

/** An ack that doesn't come in this long is treated as lost: the items stay queued. */
const ACK_TIMEOUT_MS = 15_000;
const RETRY_MS = 5_000;
/** A fix older than this is not where the phone is now: no check-in from it. */
const FIX_FRESH_MS = 60_000;
/** Standing still, a phone may stop reporting: ask for a fix when none came for this long. */
const HEARTBEAT_MS = 20_000;

export const DEVICE_STORAGE_KEY = 'lianfang.patrol.device';
const storageKey = (auth: PatrolAuth, what: 'queue' | 'identity' | 'offDuty') =>
  `lianfang.patrol.${what}.${auth.kind === 'device' ? `device:${auth.identifier}` : `user:${auth.userId}`}`;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Forgets what the page kept for `auth` (its outbox, identity, duty choice): after the server refused it for good. */
export function forgetOwner(auth: PatrolAuth): void {
  const store = storage();
  for (const what of ['queue', 'identity', 'offDuty'] as const) {
    try {
      store?.removeItem(storageKey(auth, what));
    } catch {
      // Nothing kept.
    }
  }
}

/** Emits with an acknowledgement, rejecting when none arrives in time (a lost packet, a dead link). */
function withAck<T>(send: (ack: (res: T) => void) => void, timeoutMs = ACK_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ack timeout')), timeoutMs);
    send((res) => {
      clearTimeout(timer);
      resolve(res);
    });
  });
}

type PatrolSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class PatrolState {
  connection = $state<PatrolConnection>('connecting');
  refusal = $state<PatrolRefusal | null>(null);
  identity = $state.raw<PatrolIdentity | null>(null);
  status = $state<TeamStatus | null>(null);
  /** The patrol's own choice: on duty shares the position, off duty stops. */
  onDuty = $state(true);
  fix = $state.raw<PatrolFix | null>(null);
  /** Local time the latest fix arrived (the fix's own time is the phone's GPS clock). */
  fixReceivedAt = $state(0);
  geoProblem = $state<GeoProblem | null>(null);
  queue = $state.raw<QueueItem[]>([]);
  results = $state.raw<Record<string, LocationResult>>({});
  sos = $state<SosState>('idle');
  /** localStorage refused a write: the queue is only in memory. */
  storageFailed = $state(false);
  /** Incidents dispatched to the team (open, recently closed, newly arrived). */
  incidents = $state.raw<IncidentList>(EMPTY_LIST);
  /** The incident whose step is on its way to the server (its buttons wait). */
  sendingStep = $state<string | null>(null);
  /** Why the server refused a step, per incident. */
  stepProblems = $state.raw<Record<string, { message: string; refusal: Refusal }>>({});
  report = $state.raw<ReportState>({ state: 'idle' });

  #socket: PatrolSocket | null = null;
  #watchId: number | null = null;
  #lastKept: PatrolFix | null = null;
  #flushing = false;
  #dutyPending = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #sosTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(readonly auth: PatrolAuth) {
    const store = storage();
    this.queue = loadQueue(store, storageKey(auth, 'queue'));
    this.onDuty = store?.getItem(storageKey(auth, 'offDuty')) !== '1';
    try {
      const raw = store?.getItem(storageKey(auth, 'identity'));
      // Shown until the server answers: names and the location list even before the first connect.
      if (raw) this.identity = JSON.parse(raw) as PatrolIdentity;
    } catch {
      // Unreadable: wait for the server's answer.
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Whether a check-in at `locationId` waits in the outbox. */
  isQueued(locationId: string): boolean {
    return this.queue.some((i) => i.kind === 'checkin' && (i.checkIn.locationId ?? locationOfCode(i.checkIn.code ?? '')) === locationId);
  }

  get fixIsFresh(): boolean {
    return this.fix !== null && Date.now() - this.fixReceivedAt <= FIX_FRESH_MS;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
    this.#watch();
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    if (navigator.onLine === false) this.connection = 'offline';
  }

  stop(): void {
    this.#stopped = true;
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
    if (this.#watchId !== null) navigator.geolocation?.clearWatch(this.#watchId);
    this.#watchId = null;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#sosTimer);
    this.#socket?.disconnect();
    this.#socket = null;
  }

  /* ---------- The socket ---------- */

  #connect(): void {
    const socket: PatrolSocket = io('/patrol', {
      auth: this.auth.kind === 'device' ? { device: this.auth.identifier } : {},
      // Small backoff: a patrol walking out of a dead spot should be back within seconds.
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    this.#socket = socket;
    socket.on('connect', () => {
      this.connection = 'online';
      this.refusal = null;
      void this.#whoami().then(() => this.#loadIncidents());
      void this.#flush();
    });
    socket.on('disconnect', (reason) => {
      if (this.connection === 'refused') return;
      this.connection = navigator.onLine === false ? 'offline' : 'connecting';
      // After the server cut us (a restart, a revoked device) Socket.IO does not come back by itself.
      if (reason === 'io server disconnect') this.#reconnectLater();
    });
    socket.on('connect_error', (error) => {
      const refusal = REFUSALS[error.message];
      if (refusal) {
        this.refusal = refusal;
        this.connection = 'refused';
        socket.disconnect();
        return;
      }
      this.connection = navigator.onLine === false ? 'offline' : 'connecting';
      // Transport failures are retried by Socket.IO; a refusal by the server's middleware
      // ('unavailable' while its store restarts) is not.
      if (!socket.active) this.#reconnectLater();
    });
    socket.on('team:status', (batch) => {
      const mine = batch.changes.findLast((c) => c.teamId === this.identity?.teamId);
      if (mine) this.status = mine.status;
    });
    socket.on('incident:changed', (batch) => this.#applyIncidents(batch.incidents));
    socket.on('team:checkins', (batch) => {
      const teamId = this.identity?.teamId;
      const next = { ...this.results };
      for (const c of batch.checkIns) {
        if (c.teamId !== teamId) continue;
        const held = next[c.locationId];
        if (held?.state === 'done' && held.time >= c.time) continue;
        next[c.locationId] = { state: 'done', time: c.time, duplicate: false };
      }
      this.results = next;
    });
  }

  #reconnectLater(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#stopped && this.connection !== 'refused' && navigator.onLine !== false) this.#socket?.connect();
    }, RETRY_MS);
  }

  // The browser knows it has no network: say so at once rather than after a heartbeat timeout,
  // and don't hand Socket.IO packets it would buffer and send a second time.
  #onOffline = (): void => {
    if (this.connection === 'refused') return;
    this.connection = 'offline';
    this.#socket?.disconnect();
  };

  #onOnline = (): void => {
    if (this.connection === 'refused' || this.#stopped) return;
    this.connection = 'connecting';
    this.#socket?.connect();
  };

  async #whoami(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    try {
      const res = await withAck<Ack<PatrolIdentity>>((ack) => socket.emit('patrol:whoami', ack));
      if ('error' in res) return;
      this.identity = res.data;
      this.status = res.data.status;
      try {
        storage()?.setItem(storageKey(this.auth, 'identity'), JSON.stringify(res.data));
      } catch {
        // Only a convenience for the next load.
      }
    } catch {
      // Lost with the connection: asked again on the next connect.
    }
  }

  /* ---------- Incidents dispatched to the team ---------- */

  /** The team's open incidents, asked for on every (re)connect: changes missed while away are in it. */
  async #loadIncidents(): Promise<void> {
    const socket = this.#socket;
    if (!socket?.connected) return;
    try {
      const res = await withAck<Ack<{ incidents: IncidentView[] }>>((ack) => socket.emit('patrol:incidents', ack));
      if ('data' in res) this.incidents = applyIncidents(this.incidents, res.data.incidents, this.identity?.teamId ?? null, true);
    } catch {
      // Asked again on the next connect.
    }
  }

  #applyIncidents(incidents: readonly IncidentView[]): void {
    this.incidents = applyIncidents(this.incidents, incidents, this.identity?.teamId ?? null);
  }

  /** The steps for `incidentId` waiting in the outbox, oldest first. */
  queuedSteps(incidentId: string): PatrolAction[] {
    return this.queue.flatMap((i) => (i.kind === 'step' && i.step.payload.incidentId === incidentId ? [i.step.payload.action] : []));
  }

  /** The incident's state once its queued steps are through: what the buttons offer next. */
  expectedState(incident: IncidentView): IncidentView['state'] {
    return stateAfter(incident.state, this.queuedSteps(incident.id));
  }

  /** 接警 到场 办结 上报: sent at once when connected, else kept and sent once back. */
  step(incidentId: string, action: PatrolAction, note?: string): void {
    if (this.stepProblems[incidentId]) {
      const { [incidentId]: _, ...rest } = this.stepProblems;
      this.stepProblems = rest;
    }
    const item: QueueItem & { kind: 'step' } = { kind: 'step', step: { key: newCheckInId(), payload: { incidentId, action } } };
    const trimmed = note?.trim();
    if (trimmed) item.step.payload.note = trimmed;
    this.seen(incidentId);
    this.#add(item);
  }

  /** The patrol has looked at the new incident: its alert stops. */
  seen(incidentId: string): void {
    if (!this.incidents.arrived.includes(incidentId)) return;
    this.incidents = { ...this.incidents, arrived: this.incidents.arrived.filter((id) => id !== incidentId) };
  }

  dismissClosed(incidentId: string): void {
    this.incidents = { ...this.incidents, closed: this.incidents.closed.filter((i) => i.id !== incidentId) };
  }

  /** 上报事件: something seen on patrol, at the phone's fix (or, without one, the team's last position). */
  reportIncident(input: ReportInput): void {
    const report: IncidentReportPayload = { id: newCheckInId(), category: input.category, description: input.description.trim() };
    const address = input.address.trim();
    if (address) report.address = address;
    const fix = this.fixIsFresh ? this.fix : null;
    if (fix) {
      report.lon = fix.lon;
      report.lat = fix.lat;
    }
    this.report = { state: this.#canSend() ? 'sending' : 'queued', id: report.id };
    this.#add({ kind: 'report', report });
  }

  dismissReport(): void {
    this.report = { state: 'idle' };
  }

  /* ---------- The outbox ---------- */

  #setQueue(items: QueueItem[]): void {
    this.queue = items;
    this.storageFailed = !saveQueue(storage(), storageKey(this.auth, 'queue'), items);
  }

  #add(item: QueueItem): void {
    this.#setQueue(enqueue(this.queue, item));
    void this.#flush();
  }

  /** Sends what is queued, oldest first, while connected. One loop at a time. */
  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    clearTimeout(this.#retryTimer);
    try {
      while (this.#canSend()) {
        // The shift's start or end first: fixes sent after an end would not put the team back on patrol
        // (they were taken earlier), but after a start they should show it at once.
        const batch = this.#dutyPending ? 'duty' : nextBatch(this.queue);
        if (!batch) break;
        if (!(await (batch === 'duty' ? this.#sendDuty() : this.#send(batch)))) {
          this.#retryTimer = setTimeout(() => void this.#flush(), RETRY_MS);
          break;
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #canSend(): boolean {
    return !this.#stopped && this.#socket?.connected === true && navigator.onLine !== false;
  }

  /** Sends one batch; false when it should be tried again later (no answer, or the server failed). */
  async #send(batch: Batch): Promise<boolean> {
    const socket = this.#socket!;
    try {
      if (batch.kind === 'step') return await this.#sendStep(socket, batch);
      if (batch.kind === 'report') return await this.#sendReport(socket, batch);
      if (batch.kind === 'fixes') {
        const res = await withAck<Ack<PositionsAccepted>>((ack) => socket.emit('patrol:position', { positions: batch.fixes }, ack));
        if ('data' in res) {
          this.#setQueue(removeKeys(this.queue, new Set(batch.keys)));
          return true;
        }
        // One fix the server will never take (its clock far off, outside the county): drop it, keep the rest.
        const index = rejectedFixIndex(res.error.field);
        const key = index !== null ? batch.keys[index] : undefined;
        if (key) {
          this.#setQueue(removeKeys(this.queue, new Set([key])));
          return true;
        }
        return false;
      }
      const res = await withAck<CheckInAck>((ack) => socket.emit('patrol:checkin', batch.checkIn, ack));
      const locationId = batch.checkIn.locationId ?? locationOfCode(batch.checkIn.code ?? '');
      if ('error' in res && res.error.message === RETRY_MESSAGE) return false;
      this.#setQueue(removeKeys(this.queue, new Set([batch.key])));
      if (locationId) {
        let result: LocationResult;
        if ('data' in res) result = { state: 'done', time: res.data.checkIn.time, duplicate: res.data.duplicate };
        else if (res.error.distance !== undefined) result = { state: 'too-far', distance: res.error.distance, allowed: res.error.allowed ?? 0 };
        else result = { state: 'rejected' };
        this.results = { ...this.results, [locationId]: result };
      }
      return true;
    } catch {
      return false;
    }
  }

  async #sendStep(socket: PatrolSocket, batch: Batch & { kind: 'step' }): Promise<boolean> {
    const { incidentId } = batch.step.payload;
    this.sendingStep = incidentId;
    try {
      const res = await withAck<Ack<{ incident: IncidentView; changed: boolean }>>((ack) => socket.emit('patrol:incident:step', batch.step.payload, ack));
      if ('error' in res && res.error.message === RETRY_MESSAGE) return false;
      this.#setQueue(removeKeys(this.queue, new Set([batch.key])));
      if ('data' in res) this.#applyIncidents([res.data.incident]);
      else {
        // Refused for good (another step got there first, it was sent to another team): say why,
        // drop the steps queued after it, and show the incident as the server has it now.
        this.stepProblems = { ...this.stepProblems, [incidentId]: { message: res.error.message, refusal: refusalOf(res.error) } };
        this.#setQueue(this.queue.filter((i) => !(i.kind === 'step' && i.step.payload.incidentId === incidentId)));
        void this.#loadIncidents();
      }
      return true;
    } finally {
      if (this.sendingStep === incidentId) this.sendingStep = null;
    }
  }

  async #sendReport(socket: PatrolSocket, batch: Batch & { kind: 'report' }): Promise<boolean> {
    const id = batch.report.id;
    const mine = () => this.report.state !== 'idle' && this.report.id === id;
    if (mine()) this.report = { state: 'sending', id };
    const res = await withAck<Ack<{ incident: IncidentView; created: boolean }>>((ack) => socket.emit('patrol:incident:report', batch.report, ack)).catch(
      (error: unknown) => {
        if (mine()) this.report = { state: 'queued', id };
        throw error;
      },
    );
    if ('error' in res && res.error.message === RETRY_MESSAGE) {
      if (mine()) this.report = { state: 'queued', id };
      return false;
    }
    this.#setQueue(removeKeys(this.queue, new Set([batch.key])));
    if ('data' in res) {
      this.#applyIncidents([res.data.incident]);
      if (mine()) this.report = { state: 'done', id, reference: res.data.incident.reference };
    } else if (mine()) this.report = { state: 'refused', id, message: res.error.message, refusal: refusalOf(res.error) };
    return true;
  }

  /* ---------- Position ---------- */

  #watch(): void {
    if (!window.isSecureContext) {
      this.geoProblem = 'insecure';
      return;
    }
    const geo = navigator.geolocation;
    if (!geo) {
      this.geoProblem = 'unsupported';
      return;
    }
    this.#watchId = geo.watchPosition(this.#onPosition, this.#onPositionError, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30_000 });
    this.#heartbeat = setInterval(() => {
      if (this.onDuty && Date.now() - this.fixReceivedAt >= HEARTBEAT_MS) {
        geo.getCurrentPosition(this.#onPosition, this.#onPositionError, { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 });
      }
    }, HEARTBEAT_MS / 2);
  }

  #onPosition = (position: GeolocationPosition): void => {
    const fix = fixFromPosition(position);
    this.geoProblem = null;
    this.fix = fix;
    this.fixReceivedAt = Date.now();
    if (!this.onDuty || !worthKeeping(this.#lastKept, fix)) return;
    this.#lastKept = fix;
    this.#add({ kind: 'fix', fix });
  };

  #onPositionError = (error: GeolocationPositionError): void => {
    if (error.code === error.PERMISSION_DENIED) this.geoProblem = 'denied';
    // A timeout while a fix is held is just a quiet moment; without one, say we can't locate.
    else if (!this.fixIsFresh) this.geoProblem = 'unavailable';
  };

  /* ---------- What the patrol does ---------- */

  /** Checks in at a key location from the latest fix; queued if offline. */
  checkIn(locationId: string): void {
    const fix = this.fix;
    if (!fix || !this.fixIsFresh) {
      this.results = { ...this.results, [locationId]: { state: 'no-fix' } };
      return;
    }
    const checkIn: PatrolCheckIn = { id: newCheckInId(), locationId, time: Date.now(), lon: fix.lon, lat: fix.lat };
    if (fix.accuracy !== undefined) checkIn.accuracy = fix.accuracy;
    this.#clearResult(locationId);
    this.#add({ kind: 'checkin', checkIn });
  }

  /** Checks in with a QR code scanned at the location (the position, when fresh, goes along). */
  checkInWithCode(code: string): void {
    const checkIn: PatrolCheckIn = { id: newCheckInId(), code, time: Date.now() };
    const locationId = locationOfCode(code);
    if (locationId) {
      checkIn.locationId = locationId;
      this.#clearResult(locationId);
    }
    const fix = this.fix;
    if (fix && this.fixIsFresh) {
      checkIn.lon = fix.lon;
      checkIn.lat = fix.lat;
      if (fix.accuracy !== undefined) checkIn.accuracy = fix.accuracy;
    }
    this.#add({ kind: 'checkin', checkIn });
  }

  #clearResult(locationId: string): void {
    if (!(locationId in this.results)) return;
    const { [locationId]: _, ...rest } = this.results;
    this.results = rest;
  }

  /** Starts or ends the shift. Off duty, the position stays on the phone. */
  setDuty(onDuty: boolean): void {
    this.onDuty = onDuty;
    try {
      if (onDuty) storage()?.removeItem(storageKey(this.auth, 'offDuty'));
      else storage()?.setItem(storageKey(this.auth, 'offDuty'), '1');
    } catch {
      // Holds for this page.
    }
    this.#dutyPending = true;
    // Back on duty: the current fix goes at once, so the map shows the team without waiting.
    if (onDuty && this.fix && this.fixIsFresh) {
      this.#lastKept = this.fix;
      this.#add({ kind: 'fix', fix: this.fix });
    } else void this.#flush();
  }

  /** False when it should be sent again later. */
  async #sendDuty(): Promise<boolean> {
    const socket = this.#socket!;
    const onDuty = this.onDuty;
    try {
      const res = await withAck<Ack<{ status: TeamStatus }>>((ack) => socket.emit('patrol:duty', { onDuty }, ack));
      if ('error' in res) {
        if (res.error.message === RETRY_MESSAGE) return false;
        if (this.onDuty === onDuty) this.#dutyPending = false; // refused for good: nothing to resend
        return true;
      }
      // Switched again while this was on its way: that switch is still pending.
      if (this.onDuty === onDuty) {
        this.#dutyPending = false;
        this.status = res.data.status;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Raises an SOS on every dashboard, over the patrol socket (a device link or a patrol account). */
  raiseSos(): void {
    if (this.sos === 'sending' || this.sos === 'retrying') return;
    this.sos = 'sending';
    void this.#sendSos();
  }

  async #sendSos(): Promise<void> {
    const fix = this.fixIsFresh ? this.fix : null;
    try {
      if (!this.#canSend()) throw new Error('offline');
      const socket = this.#socket!;
      const res = await withAck<Ack<{ alertId: string; created: boolean }>>((ack) => socket.emit('patrol:sos', fix ? { lon: fix.lon, lat: fix.lat } : {}, ack));
      if ('error' in res) {
        this.sos = 'failed';
        return;
      }
      this.sos = 'sent';
    } catch {
      // No network, or the server failing: keep trying while the page is open.
      this.sos = 'retrying';
      if (!this.#stopped) this.#sosTimer = setTimeout(() => void this.#sendSos(), RETRY_MS);
    }
  }

  dismissSos(): void {
    clearTimeout(this.#sosTimer);
    this.sos = 'idle';
  }
}
