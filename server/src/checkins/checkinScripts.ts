/** Typed calls of the check-in scripts (`lua/recordCheckIn.lua`, `lua/qrGeneration.lua`). */
import type { Keys } from '../keys.ts';
import type { CheckIn } from './schemas.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';
import { waitForReplica } from '../redis/replicaWait.ts';
import { parseRecord, toRecord } from './record.ts';

const RECORD_CHECK_IN = loadScript(new URL('./lua/recordCheckIn.lua', import.meta.url));
const QR_GENERATION = loadScript(new URL('./lua/qrGeneration.lua', import.meta.url));

/** Records the check-in unless its id is taken; resolves what is stored under the id and whether it is new. */
export async function runRecordCheckIn(redis: ScriptRunner, keys: Keys, checkIn: CheckIn, options: { now: number; retentionMs: number }): Promise<{ checkIn: CheckIn; created: boolean }> {
  const { now, retentionMs } = options;
  const { record, fields } = toRecord(checkIn);
  const [created, stored] = (await RECORD_CHECK_IN.run(
    redis,
    [keys.checkinId(checkIn.teamId, checkIn.id), keys.locationCheckins(checkIn.locationId), keys.teamCheckins(checkIn.teamId)],
    [record, retentionMs, Math.max(0, now - retentionMs), now, ...fields],
  )) as [string, string];
  await waitForReplica(redis);
  return { checkIn: parseRecord(stored), created: created === '1' };
}

/**
 * A location's current QR code generation and when it was issued. `read` never issues one;
 * `current` issues the next when the lifetime ran out; `rotate` always does.
 */
export async function runQrGeneration(
  redis: ScriptRunner,
  keys: Keys,
  call: { locationId: string; now: number; lifetimeMs: number; mode: 'read' | 'current' | 'rotate' },
): Promise<{ generation: number; issuedAt: number }> {
  const [generation, issuedAt] = (await QR_GENERATION.run(redis, [keys.checkinQr], [call.locationId, call.now, call.lifetimeMs, call.mode])) as [number, number];
  return { generation: Number(generation), issuedAt: Number(issuedAt) };
}
