/**
 * The outbox's queue, without the browser: positions, check-ins and incident steps and reports
 * waiting to be sent, in the order they were taken, kept in localStorage so a reload or a killed
 * tab loses nothing. An item leaves the queue only when the server has answered for it; a resend is
 * harmless because a check-in and a report carry their client-generated id, a fix its time, and
 * an incident step repeated is answered `changed: false`. Plain functions, so unit tests need no browser.
 */
import type { ClientToServerEvents, PatrolCheckIn, PatrolFix } from '@lianfang/server/events';
import type { KeptStorage } from './ownerStorage';

/** `patrol:incident:step`'s payload. */
export type IncidentStepPayload = Parameters<ClientToServerEvents['patrol:incident:step']>[0];
/** `patrol:incident:report`'s payload. */
export type IncidentReportPayload = Parameters<ClientToServerEvents['patrol:incident:report']>[0];

/** An incident step, with the key the page made to take it out of the queue once answered. */
export interface QueuedStep {
  key: string;
  payload: IncidentStepPayload;
}

export type QueueItem =
  | { kind: 'fix'; fix: PatrolFix }
  | { kind: 'checkin'; checkIn: PatrolCheckIn }
  | { kind: 'step'; step: QueuedStep }
  | { kind: 'report'; report: IncidentReportPayload };

/** The server takes 1–1,000 fixes per message; smaller batches keep a slow uplink's acks timely. */
export const MAX_FIXES_PER_BATCH = 200;
/** About 7 hours of fixes every 5 s: beyond that the oldest fixes go (never a check-in). */
export const MAX_QUEUED_FIXES = 5000;

/** Identifies an item for removal once acknowledged: fixes by time, check-ins and reports by id, steps by their key. */
export function itemKey(item: QueueItem): string {
  switch (item.kind) {
    case 'fix':
      return `f:${item.fix.time}`;
    case 'checkin':
      return `c:${item.checkIn.id}`;
    case 'step':
      return `s:${item.step.key}`;
    case 'report':
      return `r:${item.report.id}`;
  }
}

/** Adds `item` unless one with the same key is queued already; drops the oldest fixes over `maxFixes`. */
export function enqueue(items: readonly QueueItem[], item: QueueItem, maxFixes = MAX_QUEUED_FIXES): QueueItem[] {
  const key = itemKey(item);
  if (items.some((i) => itemKey(i) === key)) return [...items];
  const next = [...items, item];
  let fixes = next.filter((i) => i.kind === 'fix').length;
  if (fixes <= maxFixes) return next;
  return next.filter((i) => {
    if (i.kind !== 'fix' || fixes <= maxFixes) return true;
    fixes--;
    return false;
  });
}

export function removeKeys(items: readonly QueueItem[], keys: ReadonlySet<string>): QueueItem[] {
  return items.filter((i) => !keys.has(itemKey(i)));
}

/** Whether a check-in at `locationId` waits in the queue. */
export function hasCheckInAt(items: readonly QueueItem[], locationId: string): boolean {
  return items.some((i) => i.kind === 'checkin' && i.checkIn.locationId === locationId);
}

/** The steps for `incidentId` waiting in the queue, oldest first. */
export function stepsFor(items: readonly QueueItem[], incidentId: string): IncidentStepPayload['action'][] {
  return items.flatMap((i) => (i.kind === 'step' && i.step.payload.incidentId === incidentId ? [i.step.payload.action] : []));
}

/** The queue without the steps for `incidentId` (after the server refused one: those after it can't fit either). */
export function withoutSteps(items: readonly QueueItem[], incidentId: string): QueueItem[] {
  return items.filter((i) => !(i.kind === 'step' && i.step.payload.incidentId === incidentId));
}

export type Batch =
  | { kind: 'fixes'; fixes: PatrolFix[]; keys: string[] }
  | { kind: 'checkin'; checkIn: PatrolCheckIn; key: string }
  | { kind: 'step'; step: QueuedStep; key: string }
  | { kind: 'report'; report: IncidentReportPayload; key: string };

/**
 * What to send next: an incident step or report first, in the order taken (a dispatcher waits on
 * it, and it must not queue behind hours of fixes from a dead spot); then the first check-in on
 * its own, or the run of fixes at the head of the queue.
 */
export function nextBatch(items: readonly QueueItem[], maxFixes = MAX_FIXES_PER_BATCH): Batch | null {
  const incident = items.find((i) => i.kind === 'step' || i.kind === 'report');
  if (incident?.kind === 'step') return { kind: 'step', step: incident.step, key: itemKey(incident) };
  if (incident?.kind === 'report') return { kind: 'report', report: incident.report, key: itemKey(incident) };
  const first = items[0];
  if (!first) return null;
  if (first.kind === 'checkin') return { kind: 'checkin', checkIn: first.checkIn, key: itemKey(first) };
  if (first.kind !== 'fix') return null;
  const fixes: PatrolFix[] = [];
  for (const item of items) {
    if (item.kind !== 'fix' || fixes.length >= maxFixes) break;
    fixes.push(item.fix);
  }
  return { kind: 'fixes', fixes, keys: fixes.map((fix) => `f:${fix.time}`) };
}

/** Index of the fix a `positions.<i>.<field>` error names, or null when the error is not about one fix. */
export function rejectedFixIndex(field: string | undefined): number | null {
  const match = /^positions\.(\d+)\./.exec(field ?? '');
  return match ? Number(match[1]) : null;
}

/* ---------- Persistence ---------- */

function isFix(value: unknown): value is PatrolFix {
  const f = value as PatrolFix;
  return typeof f === 'object' && f !== null && Number.isFinite(f.lon) && Number.isFinite(f.lat) && Number.isInteger(f.time);
}

function isCheckIn(value: unknown): value is PatrolCheckIn {
  const c = value as PatrolCheckIn;
  return typeof c === 'object' && c !== null && typeof c.id === 'string' && Number.isInteger(c.time);
}

const STEP_ACTIONS: readonly string[] = ['accept', 'arrive', 'resolve', 'escalate'];

function isStep(value: unknown): value is QueuedStep {
  const s = value as QueuedStep;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.key === 'string' &&
    typeof s.payload?.incidentId === 'string' &&
    STEP_ACTIONS.includes(s.payload.action) &&
    (s.payload.note === undefined || typeof s.payload.note === 'string')
  );
}

function isReport(value: unknown): value is IncidentReportPayload {
  const r = value as IncidentReportPayload;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.category === 'string' && typeof r.description === 'string';
}

/** Reads a stored queue, skipping anything unreadable (an older format, a hand-edited value). */
export function loadQueue(storage: KeptStorage | undefined, key: string): QueueItem[] {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (i): i is QueueItem =>
        (i?.kind === 'fix' && isFix(i.fix)) ||
        (i?.kind === 'checkin' && isCheckIn(i.checkIn)) ||
        (i?.kind === 'step' && isStep(i.step)) ||
        (i?.kind === 'report' && isReport(i.report)),
    );
  } catch {
    return [];
  }
}

/** Writes the queue; false when the browser refused (storage full or disabled): it stays in memory. */
export function saveQueue(storage: KeptStorage | undefined, key: string, items: readonly QueueItem[]): boolean {
  try {
    if (!storage) return false;
    if (items.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(items));
    return true;
  } catch {
    return false;
  }
}
