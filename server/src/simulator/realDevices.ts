/**
 * Which simulated teams a real phone has taken over: a team whose newest reported fix came from
 * a device (or a signed-in patrol page) rather than the simulator is left to it, so someone
 * trying a phone in the demo sees their own position, not the simulator's writing over it. The
 * simulator picks the team up again once its phone has been quiet for `holdMs` (off duty).
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

/** Who the simulator's fixes are by (the ingest script stores it as the track entry's `dev`). */
export const SIMULATOR_DEVICE = 'simulator';

export function createRealDevices(deps: { redis: Redis; keys: Keys; holdMs: number }) {
  /** Teams a real device reported for lately (as of the last check). */
  let real = new Set<string>();
  return {
    /**
     * The teams of `teamIds` the simulator moves at `now`: all but those whose newest track
     * entry (ids are the server's receive time) is by another device, received within `holdMs`.
     */
    async simulated(teamIds: readonly string[], now: number): Promise<Set<string>> {
      const multi = deps.redis.multi();
      for (const id of teamIds) multi.xRevRange(deps.keys.teamTrack(id), '+', '-', { COUNT: 1 });
      const newest = (await multi.exec()) as unknown as { id: string; message: Record<string, string> }[][];
      const next = new Set<string>();
      const moved = new Set<string>();
      teamIds.forEach((teamId, i) => {
        const entry = newest[i]?.[0];
        const receivedAt = entry ? Number(entry.id.split('-', 1)[0]) : NaN;
        if (entry && entry.message.dev !== SIMULATOR_DEVICE && now - receivedAt < deps.holdMs) next.add(teamId);
        else moved.add(teamId);
      });
      real = next;
      return moved;
    },

    /** Whether a real device drove the team at the last check. */
    isReal(teamId: string): boolean {
      return real.has(teamId);
    },
  };
}

export type RealDevices = ReturnType<typeof createRealDevices>;
