/**
 * Incidents on the patrol page: those dispatched to the team (listed on every connect, kept up
 * to date by the server's broadcasts and acks), the steps the patrol takes on them (接警 到场
 * 办结 上报) and its own report of something seen on patrol. Steps and reports go through the
 * outbox, ahead of positions; a step the server refuses says why.
 */
import type { Problem } from '../problem';
import type { Ack, PatrolFix } from '@lianfang/server/events';
import { ring } from './attention';
import { newCheckInId } from './link';
import type { Outbox } from './outbox.svelte';
import { stepsFor, withoutSteps, type Batch, type QueueItem } from './queue';
import type { PatrolLink } from './socket.svelte';
import { isRetry } from './socketAck';
import {
  EMPTY_LIST,
  applyIncidents,
  newlyArrived,
  refusalOf,
  reportPayload,
  stateAfter,
  type IncidentList,
  type IncidentView,
  type PatrolAction,
  type Refusal,
  type ReportInput,
  type ReportState,
} from './teamIncidents';

export class PatrolIncidents {
  /** Incidents dispatched to the team (open, recently closed, newly arrived). */
  list = $state.raw<IncidentList>(EMPTY_LIST);
  /** The incident whose step is on its way to the server (its buttons wait). */
  sendingStep = $state<string | null>(null);
  /** Why the server refused a step, per incident. */
  stepProblems = $state.raw<Record<string, { problem: Problem; refusal: Refusal }>>({});
  report = $state.raw<ReportState>({ state: 'idle' });

  /**
   * @param teamId the team the phone reports for, once known.
   * @param freshFix the phone's fix if it still says where the phone is.
   */
  constructor(
    private readonly link: PatrolLink,
    private readonly outbox: Outbox,
    private readonly teamId: () => string | null,
    private readonly freshFix: () => PatrolFix | null,
  ) {}

  /** The team's open incidents, asked for on every (re)connect: changes missed while away are in it. */
  async load(): Promise<void> {
    if (!this.link.connected) return;
    try {
      const res = await this.link.request<Ack<{ incidents: IncidentView[] }>>((socket, ack) => socket.emit('patrol:incidents', ack));
      if ('data' in res) this.#set(applyIncidents(this.list, res.data.incidents, this.teamId(), true));
    } catch {
      // Asked again on the next connect.
    }
  }

  /** Incidents as the server sent them (a broadcast, an ack). */
  apply(incidents: readonly IncidentView[]): void {
    this.#set(applyIncidents(this.list, incidents, this.teamId()));
  }

  /** The new list; an incident newly dispatched to the team rings the phone like an order. */
  #set(list: IncidentList): void {
    const rang = newlyArrived(this.list, list).length > 0;
    this.list = list;
    if (rang) ring();
  }

  /** The steps for `incidentId` waiting in the outbox, oldest first. */
  queuedSteps(incidentId: string): PatrolAction[] {
    return stepsFor(this.outbox.items, incidentId);
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
    this.outbox.add(item);
  }

  /** The patrol has looked at the new incident: its alert stops. */
  seen(incidentId: string): void {
    if (!this.list.arrived.includes(incidentId)) return;
    this.list = { ...this.list, arrived: this.list.arrived.filter((id) => id !== incidentId) };
  }

  dismissClosed(incidentId: string): void {
    this.list = { ...this.list, closed: this.list.closed.filter((i) => i.id !== incidentId) };
  }

  /** 上报事件: something seen on patrol, at the phone's fix (or, without one, the team's last position). */
  reportIncident(input: ReportInput): void {
    const report = reportPayload(newCheckInId(), input, this.freshFix());
    this.report = { state: this.link.canSend ? 'sending' : 'queued', id: report.id };
    this.outbox.add({ kind: 'report', report });
  }

  dismissReport(): void {
    this.report = { state: 'idle' };
  }

  /** Sends one queued step; false when it should be sent again later. */
  async sendStep(batch: Batch & { kind: 'step' }): Promise<boolean> {
    const { incidentId } = batch.step.payload;
    this.sendingStep = incidentId;
    try {
      const res = await this.link.request<Ack<{ incident: IncidentView; changed: boolean }>>((socket, ack) =>
        socket.emit('patrol:incident:step', batch.step.payload, ack),
      );
      if (isRetry(res)) return false;
      this.outbox.remove(batch.key);
      if ('data' in res) this.apply([res.data.incident]);
      else {
        // Refused for good (another step got there first, it was sent to another team): say why,
        // drop the steps queued after it, and show the incident as the server has it now.
        this.stepProblems = { ...this.stepProblems, [incidentId]: { problem: res.error, refusal: refusalOf(res.error) } };
        this.outbox.set(withoutSteps(this.outbox.items, incidentId));
        void this.load();
      }
      return true;
    } finally {
      if (this.sendingStep === incidentId) this.sendingStep = null;
    }
  }

  /** Sends the patrol's queued report; false when it should be sent again later. */
  async sendReport(batch: Batch & { kind: 'report' }): Promise<boolean> {
    const id = batch.report.id;
    const mine = () => this.report.state !== 'idle' && this.report.id === id;
    if (mine()) this.report = { state: 'sending', id };
    const res = await this.link
      .request<Ack<{ incident: IncidentView; created: boolean }>>((socket, ack) => socket.emit('patrol:incident:report', batch.report, ack))
      .catch((error: unknown) => {
        if (mine()) this.report = { state: 'queued', id };
        throw error;
      });
    if (isRetry(res)) {
      if (mine()) this.report = { state: 'queued', id };
      return false;
    }
    this.outbox.remove(batch.key);
    if ('data' in res) {
      this.apply([res.data.incident]);
      if (mine()) this.report = { state: 'done', id, reference: res.data.incident.reference };
    } else if (mine()) this.report = { state: 'refused', id, problem: res.error, refusal: refusalOf(res.error) };
    return true;
  }
}
