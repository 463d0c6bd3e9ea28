/**
 * A location's next state computed in JS, for the mass paths (a recompute, a tick): the same
 * rules as the visit script's settle (see scripts.ts), with geo's nextDeadline. V8 does in
 * microseconds what takes Redis's Lua tens of them; the COMMIT script then only checks that
 * nothing changed meanwhile and writes.
 */
import { nextDeadline } from '@lianfang/geo';

/** One location's change, as COMMIT takes it ('' for none). */
export interface Transition {
  loc: string;
  expState: string;
  expReq: string;
  req: string;
  value: string;
  next: string;
  /** "kind:reason" of the alert it leaves. */
  leave: string;
  raise: string;
  /** The raised alert's JSON after `{"id":"…",`. */
  body: string;
}

interface ParsedReq {
  gapMs: number;
  minAgencies: number;
  since: number;
  leadMs: number;
}

const parsed = new Map<string, ParsedReq>();
/** "gapMs,minAgencies,since,leadMs" → numbers (a few distinct strings serve thousands of locations). */
export function parseRequirement(req: string): ParsedReq {
  let r = parsed.get(req);
  if (!r) {
    const [gapMs = 0, minAgencies = 1, since = 0, leadMs = 0] = req.split(',').map(Number);
    r = { gapMs, minAgencies, since, leadMs };
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(req, r);
  }
  return r;
}

/** "agency:time:team;…" → agency → time. */
export function parseLast(last: string | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!last) return out;
  for (const entry of last.split(';')) {
    const a = entry.indexOf(':');
    const b = entry.indexOf(':', a + 1);
    out[entry.slice(0, a)] = Number(entry.slice(a + 1, b < 0 ? undefined : b));
  }
  return out;
}

/**
 * The requirement to store for a location: a requirement that held since before the planner's
 * look-back (`sinceOpen`) keeps the since of the stored one when gap and agencies are the same.
 */
export function requirementString(r: { gapMs: number; minAgencies: number; since: number; leadMs: number; sinceOpen: boolean }, stored: string | null | undefined): string {
  let since = r.since;
  if (r.sinceOpen && stored) {
    const old = parseRequirement(stored);
    if (old.gapMs === r.gapMs && old.minAgencies === r.minAgencies) since = old.since;
  }
  return `${r.gapMs},${r.minAgencies},${since},${r.leadMs}`;
}

/**
 * Where `loc` stands at `now` under requirement `req` with visits `last`, coming from `old`
 * ("state,deadline,dueAt", null: inactive). A visit exactly at the deadline is in time.
 */
export function transition(loc: string, req: string | null, last: string | null | undefined, old: string | null | undefined, now: number, expReq: string | null | undefined = req): Transition {
  let state: 'covered' | 'due_soon' | 'uncovered' | 'inactive' = 'inactive';
  let value = '';
  let next = '';
  let d = 0;
  let due = 0;
  if (req) {
    const r = parseRequirement(req);
    ({ deadline: d, dueAt: due } = nextDeadline(parseLast(last), r));
    state = now > d ? 'uncovered' : r.leadMs > 0 && now >= due ? 'due_soon' : 'covered';
    value = `${state},${d},${due}`;
    next = state === 'covered' ? String(r.leadMs > 0 ? due : d + 1) : state === 'due_soon' ? String(d + 1) : '';
  }
  const oldState = old ? old.slice(0, old.indexOf(',')) : 'inactive';
  let leave = '';
  let raise = '';
  let body = '';
  if (state !== oldState) {
    if (oldState === 'due_soon' || oldState === 'uncovered') {
      leave = `${oldState}:${state === 'uncovered' ? 'superseded' : state === 'inactive' ? 'not_required' : 'requirement_changed'}`;
    }
    if (state === 'uncovered' || state === 'due_soon') {
      raise = state;
      body = JSON.stringify({ kind: state, subject: loc, locationId: loc, level: 1, state: 'raised', at: state === 'uncovered' ? d : due, raisedAt: now, deadline: d }).slice(1);
    }
  }
  return { loc, expState: old ?? '', expReq: expReq ?? '', req: req ?? '', value, next, leave, raise, body };
}
