/**
 * The residents' help form (求助栏) without the browser: which categories it offers, the request
 * it sends, which field a server error is about, the request id kept until the server has the
 * request (so pressing send again after a lost answer never makes two), the references this
 * phone has received, and the status page's timeline. Plain functions, so unit tests need no browser.
 */
import type { IncidentState } from '@lianfang/geo';
import { newCheckInId } from '../patrol/link';
import type { PublicHelpRequest, PublicHelpStatus } from '@lianfang/server/api';

export type HelpCategory = NonNullable<PublicHelpRequest['category']>;

/** 求助 矛盾纠纷 安全隐患 治安 其他: the first is the default. */
export const HELP_CATEGORIES = ['help', 'dispute', 'safety_hazard', 'public_order', 'other'] as const satisfies readonly HelpCategory[];

/** The form's fields a server error can point at; `location` stands for lon and lat. */
export type HelpField = 'category' | 'description' | 'name' | 'phone' | 'location';

export interface HelpInput {
  category: HelpCategory;
  description: string;
  name: string;
  phone: string;
  location: { lon: number; lat: number } | null;
}

/** The server's limits, so the form stops typing where the server would refuse. */
export const DESCRIPTION_MIN = 4;
export const DESCRIPTION_MAX = 500;
export const NAME_MAX = 50;
export const PHONE_MAX = 20;

/**
 * A phone number as the server takes it: a Chinese keyboard's full-width digits and dash made
 * plain, spaces and brackets out (`138 0000 1111`, `（0527）88881234`).
 */
export function normalisePhone(typed: string): string {
  return typed
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－—–]/g, '-')
    .replace(/[\s()（）]+/g, '');
}

/** The request as sent: trimmed, with empty optional fields left out. */
export function buildRequest(id: string, gridId: string, input: HelpInput): PublicHelpRequest {
  const request: PublicHelpRequest = { id, gridId, category: input.category, description: input.description.trim(), phone: normalisePhone(input.phone) };
  const name = input.name.trim();
  if (name) request.name = name;
  if (input.location) {
    request.lon = input.location.lon;
    request.lat = input.location.lat;
  }
  return request;
}

/** Required fields left empty, checked before sending (the format is the server's to judge). */
export function missingFields(input: HelpInput): HelpField[] {
  const missing: HelpField[] = [];
  if (!input.description.trim()) missing.push('description');
  if (!input.phone.trim()) missing.push('phone');
  return missing;
}

/** The form field a 4xx's `field` names (`body.phone`, `phone`, `body.lon` …), or null for none of them. */
export function formField(field: string | null | undefined): HelpField | null {
  const leaf = (field ?? '').replace(/^body\./, '').split('.')[0];
  switch (leaf) {
    case 'category':
    case 'description':
    case 'name':
    case 'phone':
      return leaf;
    case 'lon':
    case 'lat':
      return 'location';
    default:
      return null;
  }
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

const pendingKey = (gridId: string) => `lianfang.help.pending.${gridId}`;
const REFERENCES_KEY = 'lianfang.help.references';
const MAX_REFERENCES = 10;
const ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The id of the request being written for `gridId`: the same one until the server has taken it,
 * across presses of send and reloads of the page, so a resend after a lost answer is recognised.
 */
export function pendingRequestId(storage: Storage | undefined, gridId: string, make: () => string = newCheckInId): string {
  try {
    const kept = storage?.getItem(pendingKey(gridId));
    if (kept && ID.test(kept)) return kept;
  } catch {
    // Storage disabled: this page's id only.
  }
  const id = make();
  try {
    storage?.setItem(pendingKey(gridId), id);
  } catch {
    // Holds for this page.
  }
  return id;
}

/** The server has the request: the next one gets a new id. */
export function clearPendingRequest(storage: Storage | undefined, gridId: string): void {
  try {
    storage?.removeItem(pendingKey(gridId));
  } catch {
    // Nothing kept.
  }
}

export interface KeptReference {
  reference: string;
  at: number;
}

/** The references this phone received, newest first. */
export function keptReferences(storage: Storage | undefined): KeptReference[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(REFERENCES_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((r): r is KeptReference => typeof r?.reference === 'string' && REFERENCE.test(r.reference) && Number.isFinite(r.at));
  } catch {
    return [];
  }
}

export function keepReference(storage: Storage | undefined, reference: string, at: number): void {
  const next = [{ reference, at }, ...keptReferences(storage).filter((r) => r.reference !== reference)].slice(0, MAX_REFERENCES);
  try {
    storage?.setItem(REFERENCES_KEY, JSON.stringify(next));
  } catch {
    // Only a convenience.
  }
}

/** What a reference looks like (letters and digits); anything else is not sent to the server. */
export const REFERENCE = /^[A-Za-z0-9]{4,32}$/;

/** A typed reference as the server spells it: spaces and dashes out, upper case. */
export function normaliseReference(typed: string): string {
  return typed.replace(/[\s-]+/g, '').toUpperCase();
}

/** Groups of four for reading aloud over the phone: `SY7K 3M9Q 2X`. */
export function groupReference(reference: string): string {
  return reference.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The way a request goes when all is well. */
export const PUBLIC_PATH = ['new', 'dispatched', 'accepted', 'on_scene', 'resolved'] as const satisfies readonly IncidentState[];

export interface TimelineEntry {
  state: IncidentState;
  /** When it got there; null for a step still to come. */
  at: number | null;
  /** The request's state now. */
  current: boolean;
}

/**
 * The status page's timeline: every state the request went through with its time (a repeat of
 * the state before it left out), then the steps still ahead on the usual path, without times.
 */
export function timeline(status: Pick<PublicHelpStatus, 'state' | 'createdAt' | 'steps'>): TimelineEntry[] {
  const done: TimelineEntry[] = [];
  const steps = status.steps.length > 0 ? status.steps : [{ state: 'new' as const, at: status.createdAt }];
  for (const step of steps) {
    if (done.at(-1)?.state === step.state) continue;
    done.push({ state: step.state, at: step.at, current: false });
  }
  const last = done.at(-1);
  if (last && last.state !== status.state) done.push({ state: status.state, at: null, current: false });
  done.at(-1)!.current = true;
  const index = (PUBLIC_PATH as readonly IncidentState[]).indexOf(status.state);
  const ahead = index < 0 || status.state === 'resolved' ? [] : PUBLIC_PATH.slice(index + 1);
  return [...done, ...ahead.map((state): TimelineEntry => ({ state, at: null, current: false }))];
}
