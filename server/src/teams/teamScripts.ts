/**
 * Typed call of the team status sweep (`lua/sweepStatus.lua`): builds its KEYS and ARGV as its
 * header lists them and parses the reply.
 */
import type { Team } from '@lianfang/geo';
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

const SAVE_TEAM = loadScript(new URL('./lua/saveTeam.lua', import.meta.url));

export type SaveTeamResult =
  | { outcome: 'ok'; team: Team }
  | { outcome: 'same'; team: Team }
  | { outcome: 'id_taken'; id: string }
  | { outcome: 'call_sign_taken'; otherId: string };

/**
 * Writes one team unless another has its call sign (see `lua/saveTeam.lua`). `create` refuses an
 * existing id with other content and answers `same` for a retry; without an id, the next TMnnn.
 */
export async function runSaveTeam(redis: ScriptRunner, keys: Keys, mode: 'create' | 'replace', team: Omit<Team, 'id'> & { id?: string }): Promise<SaveTeamResult> {
  const { id, ...rest } = team;
  const reply = (await SAVE_TEAM.run(redis, [keys.teams], [mode, id ?? '', JSON.stringify(rest), normalCallSign(team.callSign)])) as string[];
  const [outcome, first, json] = reply;
  if (outcome === 'ok' || outcome === 'same') return { outcome, team: JSON.parse(json!) as Team } as SaveTeamResult;
  if (outcome === 'id_taken') return { outcome, id: first! };
  return { outcome: 'call_sign_taken', otherId: first! };
}

/** A call sign as compared for uniqueness: trimmed, Latin letters lower-cased (as the script does). */
export function normalCallSign(callSign: string): string {
  return callSign.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}
