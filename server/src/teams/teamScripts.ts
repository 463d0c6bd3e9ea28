/**
 * Typed call of the team status sweep (`lua/sweepStatus.lua`): builds its KEYS and ARGV as its
 * header lists them and parses the reply.
 */
import type { Keys } from '../keys.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';
import type { TeamStatus, TeamStatusChange } from './schemas.ts';

const SWEEP_STATUS = loadScript(new URL('./lua/sweepStatus.lua', import.meta.url));

export interface SweepCall {
  now: number;
  offlineAfterMs: number;
  offDutyAfterMs: number;
  /** Sweep this team alone (default: every team). */
  teamId?: string;
}

/** Re-derives team statuses (see `lua/sweepStatus.lua`); resolves the changes it wrote. */
export async function runSweepStatus(redis: ScriptRunner, keys: Keys, call: SweepCall): Promise<TeamStatusChange[]> {
  const args = [keys.prefix, String(call.now), String(call.offlineAfterMs), String(call.offDutyAfterMs)];
  if (call.teamId !== undefined) args.push(call.teamId);
  const flat = (await SWEEP_STATUS.run(redis, [keys.teams, keys.teamStatus, keys.teamOffDuty, keys.teamsResponding], args)) as string[];
  const changes: TeamStatusChange[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    changes.push({ teamId: flat[i]!, status: flat[i + 1] as TeamStatus, since: flat[i + 2] ? Number(flat[i + 2]) : null });
  }
  return changes;
}
