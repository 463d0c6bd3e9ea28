/**
 * Redis storage of check-ins: each under its client-generated id (SET NX: a retry finds the
 * first one), and in two streams trimmed by age, per location and per team.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { CheckIn } from './schemas.ts';
import { luaScript } from '../tracking/script.ts';
import { XADD_AT } from '../tracking/ingest.ts';
import { fromFields, parseRecord, toRecord } from './record.ts';

/* KEYS: id key, location stream, team stream. ARGV: record, retention ms, min stream id, now, field pairs… */
const RECORD = `${XADD_AT}
local now = tonumber(ARGV[4])
local existing = redis.call('GET', KEYS[1])
if existing then return {'0', existing} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local f = {}
for i = 5, #ARGV do f[#f + 1] = ARGV[i] end
xaddAt(KEYS[2], now, ARGV[3], unpack(f))
xaddAt(KEYS[3], now, ARGV[3], unpack(f))
return {'1', ARGV[1]}
`;
const runRecord = luaScript(RECORD);

export function createCheckInStore(redis: Redis, keys: Keys, options: { retentionMs: number }) {
  return {
    /** The check-in already recorded under this team's client id, if any. */
    async byId(teamId: string, id: string): Promise<CheckIn | undefined> {
      const record = await redis.get(keys.checkinId(teamId, id));
      return record ? parseRecord(record) : undefined;
    },

    /** Records the check-in unless its id is taken; resolves what is stored under the id and whether it is new. */
    async record(checkIn: CheckIn, now: number): Promise<{ checkIn: CheckIn; created: boolean }> {
      const { record, fields } = toRecord(checkIn);
      const reply = (await runRecord(
        redis,
        [keys.checkinId(checkIn.teamId, checkIn.id), keys.locationCheckins(checkIn.locationId), keys.teamCheckins(checkIn.teamId)],
        [record, String(options.retentionMs), String(Math.max(0, now - options.retentionMs)), String(now), ...fields],
      )) as [string, string];
      return { checkIn: parseRecord(reply[1]), created: reply[0] === '1' };
    },

    /**
     * Entries of a location's (or team's) stream received between `fromId` and `toId` (ms);
     * callers widen the window by how late a check-in may arrive, then filter by its time.
     */
    async range(stream: { locationId: string } | { teamId: string }, fromId: number, toId: number): Promise<CheckIn[]> {
      const key = 'locationId' in stream ? keys.locationCheckins(stream.locationId) : keys.teamCheckins(stream.teamId);
      const entries = await redis.xRange(key, String(Math.max(0, fromId)), String(Math.max(0, toId)));
      return entries.map((e) => fromFields(e.message as Record<string, string>));
    },
  };
}

export type CheckInStore = ReturnType<typeof createCheckInStore>;
