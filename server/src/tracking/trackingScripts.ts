/**
 * Typed call of the position pipeline's Redis script (`lua/ingest.lua`): builds its KEYS and
 * ARGV as its header lists them and parses the reply.
 */
import type { Keys } from '../keys.ts';
import type { CheckIn } from '../checkins/schemas.ts';
import { parseRecord } from '../checkins/record.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';
import type { Fix } from '@lianfang/geo';

const INGEST = loadScript(new URL('./lua/ingest.lua', import.meta.url));

/** Who reports: a device (by its identifier's hash, checked in the script) or a signed-in patrol's team. */
export type IngestAuth = { deviceHash: string } | { teamId: string; by: string };

/** A fix for the ingest script, with what the caller worked out about it. */
export interface IngestFix {
  fix: Fix;
  /** Flagged poor (the device says invalid, or the accuracy is worse than the limit). */
  poor: boolean;
  /** The key locations whose radius holds the fix, or null to leave the dwell clock alone (poor or too old). */
  near: ReadonlyArray<{ location: { id: string }; distance: number }> | null;
}

export interface IngestCall {
  auth: IngestAuth;
  now: number;
  retentionMs: number;
  lateAfterMs: number;
  dwellMs: number;
  /** Oldest first. */
  fixes: IngestFix[];
  /** The battery percent of the newest fix that carried one (see `newestBattery`). */
  battery?: number;
}

export type IngestReply =
  | { status: 'unknown' }
  | { status: 'revoked'; deviceId: string }
  /** `newest`: the 1-based index of the fix that moved the team (0: none); `older`: fixes that went to history only. */
  | { status: 'ok'; teamId: string; deviceId: string; newest: number; older: number; checkIns: CheckIn[] };

const str = (v: number | undefined) => (v === undefined ? '' : String(v));

/** The battery level of the newest fix (by fix time) that reported one. */
export function newestBattery(fixes: readonly Fix[]): number | undefined {
  let best: Fix | undefined;
  for (const fix of fixes) if (fix.battery !== undefined && (!best || fix.time >= best.time)) best = fix;
  return best?.battery;
}

/** Records the fixes of one request, or none (see `lua/ingest.lua`). */
export async function runIngest(redis: ScriptRunner, keys: Keys, call: IngestCall): Promise<IngestReply> {
  const { auth, now, fixes } = call;
  const device = 'deviceHash' in auth;
  const args: string[] = [
    keys.prefix,
    device ? 'device' : 'team',
    device ? auth.deviceHash : auth.teamId,
    String(now),
    String(Math.max(0, now - call.retentionMs)),
    device ? '' : auth.by,
    String(call.lateAfterMs),
    String(call.dwellMs),
    String(call.retentionMs),
    str(call.battery),
    String(fixes.length),
  ];
  for (const { fix, poor, near } of fixes) {
    let where = '-';
    if (near) {
      where = '';
      for (const n of near) where += `${where ? ',' : ''}${n.location.id}:${Math.round(n.distance * 10) / 10}`;
    }
    args.push(String(fix.time), String(fix.lon), String(fix.lat), str(fix.heading), str(fix.speed), str(fix.accuracy), poor ? 'p' : '', where);
  }
  const reply = (await INGEST.run(redis, [keys.deviceAuth, keys.teamGeo, keys.deviceSeen, keys.deviceBattery], args)) as string[];
  if (reply[0] === 'unknown') return { status: 'unknown' };
  if (reply[0] === 'revoked') return { status: 'revoked', deviceId: reply[1] ?? '' };
  const [, teamId = '', deviceId = '', newest = '0', older = '0', ...records] = reply;
  return { status: 'ok', teamId, deviceId, newest: Number(newest), older: Number(older), checkIns: records.map(parseRecord) };
}
