/**
 * Typed calls of the incident scripts (`lua/*.lua`): each builds the script's KEYS and ARGV as
 * its header lists them and parses the reply.
 */
import type { Keys } from '../keys.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';
import { waitForReplica } from '../redis/replicaWait.ts';
import type { StoredIncident } from './store.ts';

const CREATE = loadScript(new URL('./lua/createIncident.lua', import.meta.url));
const WRITE = loadScript(new URL('./lua/writeIncident.lua', import.meta.url));
const DROP_DUE = loadScript(new URL('./lua/dropIncidentDue.lua', import.meta.url));
const FORGET = loadScript(new URL('./lua/forgetIncidents.lua', import.meta.url));

const parse = (json: string) => JSON.parse(json) as StoredIncident;

export type CreateResult = { status: 'ok' | 'exists'; incident: StoredIncident } | { status: 'ref_taken' };
export type WriteResult = { status: 'missing' } | { status: 'conflict'; current: StoredIncident } | { status: 'ok'; incident: StoredIncident; teams: string[] };

/** Stores a new incident unless its client key names one already (answers that one) or its reference is taken; counts `tally` (reports/tally.ts) if stored. */
export async function runCreateIncident(redis: ScriptRunner, keys: Keys, incident: Omit<StoredIncident, 'id'>, tally = ''): Promise<CreateResult> {
  const [status, json] = (await CREATE.run(
    redis,
    [keys.incidents, keys.incidentSeq, keys.incidentsByTime, keys.incidentsOpen, keys.incidentsDue, keys.incidentRefs, keys.incidentClients],
    [keys.prefix, incident.clientKey, incident.reference, JSON.stringify(incident), incident.createdAt, incident.due ? incident.due.at : '', tally],
  )) as [string, string];
  if (status === 'ref_taken') return { status };
  await waitForReplica(redis);
  return { status: status as 'ok' | 'exists', incident: parse(json) };
}

/** Writes `next` if the incident is still at `expected`'s version and state, and counts `tally` (reports/tally.ts) with it. */
export async function runWriteIncident(redis: ScriptRunner, keys: Keys, now: number, expected: StoredIncident, next: StoredIncident, tally = ''): Promise<WriteResult> {
  const [status, json, ...teams] = (await WRITE.run(
    redis,
    [keys.incidents, keys.incidentsOpen, keys.incidentsClosed, keys.incidentsDue, keys.teamsResponding],
    [keys.prefix, now, expected.id, expected.version, expected.state, JSON.stringify(next), next.due ? next.due.at : '', expected.teamId ?? '', next.teamId ?? '', tally],
  )) as string[];
  if (status === 'missing') return { status };
  if (status === 'conflict') return { status, current: parse(json!) };
  await waitForReplica(redis);
  return { status: 'ok', incident: parse(json!), teams };
}

/** Takes the incident out of the due set if it is still due at `at`; resolves whether it did. */
export async function runDropIncidentDue(redis: ScriptRunner, keys: Keys, id: string, at: number): Promise<boolean> {
  return (await DROP_DUE.run(redis, [keys.incidentsDue], [id, at])) === 1;
}

/** Forgets at most `limit` incidents resolved before `before`; resolves how many. */
export async function runForgetIncidents(redis: ScriptRunner, keys: Keys, before: number, limit: number): Promise<number> {
  return Number(await FORGET.run(redis, [keys.incidents, keys.incidentsByTime, keys.incidentsOpen, keys.incidentsClosed, keys.incidentsDue, keys.incidentRefs, keys.incidentClients], [before, limit]));
}
