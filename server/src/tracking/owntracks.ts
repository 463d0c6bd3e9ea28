/**
 * OwnTracks in HTTP mode (https://owntracks.org/booklet/tech/http/): the app POSTs each JSON
 * message to one URL and expects a JSON array back (`[]`: no friends' cards to show).
 *
 * The device identifier goes either in the URL (`/api/owntracks?id=<identifier>`, the
 * set-up link) or as the HTTP Basic password (Settings → Identification; the username is
 * free, e.g. the member's name). Location messages (`_type: "location"`) need `lat`, `lon`,
 * `tst` (Unix seconds); `acc` (m), `cog` (degrees), `vel` (KM/H), `batt` (percent) are read. Other message types
 * (status, lwt, transition, waypoints…) carry no position: answered `[]` and counted as ignored.
 * Encrypted payloads are refused: turn encryption off for this server.
 */
import { checkRanges, FixError, type Fix } from '@lianfang/geo';

export type OwnTracksParsed = { kind: 'location'; fix: Fix } | { kind: 'other'; type: string } | { error: { field: string; message: string } };

const NAMES: Record<string, string> = { lon: 'lon', lat: 'lat', time: 'tst', heading: 'cog', speed: 'vel', accuracy: 'acc', battery: 'batt' };

/** The identifier from `?id=` or the Basic password; undefined when neither is given. */
export function ownTracksIdentifier(query: Record<string, unknown>, authorization: string | undefined): { identifier: string; field: string } | undefined {
  if (typeof query.id === 'string' && query.id !== '') return { identifier: query.id, field: 'query.id' };
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (password) return { identifier: password, field: 'headers.authorization' };
  }
  return undefined;
}

export function parseOwnTracks(body: unknown): OwnTracksParsed {
  const err = (field: string, message: string) => ({ error: { field: `body.${field}`, message: `body.${field} ${message}` } });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: { field: 'body', message: 'body must be a JSON object' } };
  const m = body as Record<string, unknown>;
  if (typeof m._type !== 'string' || m._type === '') return err('_type', 'is required');
  if (m._type === 'encrypted') return err('_type', 'is "encrypted": this server cannot decrypt, turn payload encryption off');
  if (m._type !== 'location') return { kind: 'other', type: m._type };
  for (const name of ['lat', 'lon', 'tst'] as const) {
    if (m[name] === undefined || m[name] === null) return err(name, 'is required');
  }
  for (const name of ['lat', 'lon', 'tst', 'acc', 'cog', 'vel', 'batt'] as const) {
    const v = m[name];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) return err(name, `must be a number, got ${JSON.stringify(v).slice(0, 32)}`);
  }
  const tst = m.tst as number;
  if (!Number.isInteger(tst) || tst < 0) return err('tst', `must be Unix seconds, got ${tst}`);
  const fix: Fix = { lon: m.lon as number, lat: m.lat as number, time: tst * 1000 };
  if (typeof m.acc === 'number' && m.acc >= 0) fix.accuracy = m.acc;
  if (typeof m.cog === 'number' && m.cog >= 0) fix.heading = m.cog;
  if (typeof m.batt === 'number' && m.batt >= 0) fix.battery = m.batt;
  if (typeof m.vel === 'number' && m.vel >= 0) fix.speed = Math.round((m.vel / 3.6) * 1000) / 1000;
  try {
    checkRanges(fix);
  } catch (e) {
    if (e instanceof FixError) return err(NAMES[e.field] ?? e.field, e.message);
    throw e;
  }
  return { kind: 'location', fix };
}

export const ownTracksField = (_i: number, field: string) => `body.${NAMES[field] ?? field}`;
