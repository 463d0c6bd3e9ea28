/** Typed call of the check-in script (`lua/recordCheckIn.lua`). */
import type { Keys } from '../keys.ts';
import type { CheckIn } from './schemas.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';
import { parseRecord, toRecord } from './record.ts';

const RECORD_CHECK_IN = loadScript(new URL('./lua/recordCheckIn.lua', import.meta.url));

/** Records the check-in unless its id is taken; resolves what is stored under the id and whether it is new. */
export async function runRecordCheckIn(redis: ScriptRunner, keys: Keys, checkIn: CheckIn, options: { now: number; retentionMs: number }): Promise<{ checkIn: CheckIn; created: boolean }> {
  const { now, retentionMs } = options;
  const { record, fields } = toRecord(checkIn);
  const [created, stored] = (await RECORD_CHECK_IN.run(
    redis,
    [keys.checkinId(checkIn.teamId, checkIn.id), keys.locationCheckins(checkIn.locationId), keys.teamCheckins(checkIn.teamId)],
    [record, retentionMs, Math.max(0, now - retentionMs), now, ...fields],
  )) as [string, string];
  return { checkIn: parseRecord(stored), created: created === '1' };
}
