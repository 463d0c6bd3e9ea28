/**
 * The coverage classes' Redis scripts as typed calls (`lua/*.lua`, sharing
 * `lua/includes/classes.lua`; the layout is explained there). They include the alerts prelude,
 * since a tick or a visit raises and resolves township alerts in the same atomic step, and run
 * through the alerts service's runner, which announces those alerts. Each call answers the
 * location changes the script reported, parsed here.
 */
import type { Keys } from '../keys.ts';
import { localDate } from '@lianfang/geo';
import { loadScript } from '../redis/script.ts';
import type { RunTransitions, ScriptResult } from '../alerts/alertScripts.ts';
import type { CoverageState, LocationCoverageChange } from './schemas.ts';

const RECORD_VISITS = loadScript(new URL('./lua/recordVisits.lua', import.meta.url));
const ADVANCE = loadScript(new URL('./lua/advance.lua', import.meta.url));
const REQUIRE = loadScript(new URL('./lua/require.lua', import.meta.url));
const REBUILD = loadScript(new URL('./lua/rebuild.lua', import.meta.url));

/** What one class script did. */
export interface ClassStep {
  status: string;
  /** Locations whose coverage state changed, in the order they did. */
  changes: LocationCoverageChange[];
  /** Requirements changed (a period started or ended): maps reload the whole picture. */
  reload: boolean;
  raised: number;
  resolved: number;
}

/** A visit as the script records it: the agency stands for the team's, ':' and ';' already replaced. */
export interface ClassVisit {
  locationId: string;
  agency: string;
  time: number;
  teamId: string;
}

/** A class whose requirement changed: "gapMs,minAgencies,since,leadMs". */
export interface ClassRequirement {
  classId: string;
  requirement: string;
  townshipId: string;
}

/**
 * A coverage note as a script reports it: "loc=state,deadline,dueAt" or "loc=inactive" for one
 * location; "#state,gapMs,since,leadMs=loc\tkth\tloc\tkth…" for many of one class (the deadline
 * is max(kth, since) + gap: computed here, where it is cheap); "*=reload".
 */
function readNote(note: string, into: LocationCoverageChange[]): boolean {
  const eq = note.indexOf('=');
  const head = note.slice(0, eq);
  if (head === '*') return true;
  if (head.startsWith('#')) {
    const [state = 'covered', gap = '0', since = '0', lead = '0'] = head.slice(1).split(',');
    const g = Number(gap);
    const s = Number(since);
    const l = Number(lead);
    const parts = note.slice(eq + 1).split('\t');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const deadline = Math.max(Number(parts[i + 1]), s) + g;
      into.push({ id: parts[i]!, state: state as CoverageState, deadline, dueAt: deadline - l });
    }
    return false;
  }
  const [state = 'inactive', deadline, dueAt] = note.slice(eq + 1).split(',');
  into.push({ id: head, state: state as CoverageState, deadline: deadline ? Number(deadline) : null, dueAt: dueAt ? Number(dueAt) : null });
  return false;
}

/** A script's result as coverage reads it. */
export function classStep(r: ScriptResult): ClassStep {
  const changes: LocationCoverageChange[] = [];
  let reload = false;
  for (const note of r.notes) if (readNote(note, changes)) reload = true;
  return { status: r.status, changes, reload, raised: r.raisedCount, resolved: r.resolvedCount };
}

/** The class scripts, run by `run` (the alerts service's: it announces the alerts they raise and resolve). */
export function createClassScripts(run: RunTransitions, keys: Keys, timeZone = 'Asia/Shanghai') {
  /** Every class script's own KEYS, in the classes include's order. */
  const classKeys = [keys.covClasses, keys.covLastVisit, keys.covClassOf, keys.covDue, keys.covTownshipClasses, keys.covMeta];
  const call = async (script: typeof ADVANCE, args: Array<string | number>, now: number) => classStep(await run(script, classKeys, args, now));

  return {
    /** Visits move deadlines (idempotent: a visit only moves its agency's latest time forward). */
    recordVisits(visits: readonly ClassVisit[], now: number): Promise<ClassStep> {
      const args: Array<string | number> = [visits.length];
      for (const v of visits) args.push(v.locationId, v.agency, Math.round(v.time), v.teamId);
      args.push(localDate(now, timeZone));
      return call(RECORD_VISITS, args, now);
    },

    /** Settles up to `limit` due classes at now; status 'more' when some are left. */
    advance(limit: number, now: number): Promise<ClassStep> {
      return call(ADVANCE, [limit, localDate(now, timeZone)], now);
    },

    /** Gives changed classes their new requirement, settled at now; status 'stale' when cov:meta is not `built`. */
    require(built: string, allTownships: boolean, changed: readonly ClassRequirement[], now: number): Promise<ClassStep> {
      const args: Array<string | number> = [built, allTownships ? '1' : '0', changed.length];
      for (const c of changed) args.push(c.classId, c.requirement, c.townshipId);
      return call(REQUIRE, args, now);
    },

    /** Builds the classes of a version (location → class, class → township); status 'same' when already built. */
    rebuild(version: string, k: number, classOf: ReadonlyMap<string, string>, townshipOf: ReadonlyMap<string, string>, now: number): Promise<ClassStep> {
      // Two packed arguments, not two per location: a county of 50,000 locations as separate
      // arguments overflows the client's call stack (ids never hold a tab).
      const packed = (map: ReadonlyMap<string, string>) => [...map].map(([a, b]) => `${a}\t${b}`).join('\t');
      return call(REBUILD, [version, k, classOf.size, packed(classOf), townshipOf.size, packed(townshipOf)], now);
    },
  };
}

export type ClassScripts = ReturnType<typeof createClassScripts>;
