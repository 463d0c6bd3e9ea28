/**
 * Redis storage of check-ins: each under its client-generated id (SET NX: a retry finds the
 * first one), and in two streams trimmed by age, per location and per team
 * (`lua/recordCheckIn.lua`; automatic check-ins are written by the ingest script).
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { CheckIn } from './schemas.ts';
import { runRecordCheckIn } from './checkinScripts.ts';
import { fromFields, parseRecord } from './record.ts';
import { findEvidence, type Evidence, type EvidenceQuery } from './evidence.ts';

export function createCheckInStore(redis: Redis, keys: Keys, options: { retentionMs: number }) {
  return {
    /** The check-in already recorded under this team's client id, if any. */
    async byId(teamId: string, id: string): Promise<CheckIn | undefined> {
      const record = await redis.get(keys.checkinId(teamId, id));
      return record ? parseRecord(record) : undefined;
    },

    /** Records the check-in unless its id is taken; resolves what is stored under the id and whether it is new. */
    async record(checkIn: CheckIn, now: number): Promise<{ checkIn: CheckIn; created: boolean }> {
      return runRecordCheckIn(redis, keys, checkIn, { now, retentionMs: options.retentionMs });
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

    /** A position of the team, as the server received it, that supports a check-in (evidence.ts). */
    evidence(query: EvidenceQuery): Promise<Evidence | null> {
      return findEvidence(redis, keys, query);
    },
  };
}

export type CheckInStore = ReturnType<typeof createCheckInStore>;
