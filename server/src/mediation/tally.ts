/**
 * The mediation figures (调解统计) a dispute step counts, as lines of the reports' tally
 * (reports/tally.ts, redis/lua/tally.lua): added to the same day and month hashes by the incident
 * write script that records the step, so a step is counted once whichever process wrote it and
 * a retry that writes nothing counts nothing. Pure: no Redis.
 *
 * Subjects: `m:<roomId>` (the room that mediated) and `mw:<townshipId>` (the dispute's township;
 * `mw:-` outside every township). Kept apart from the assessment report's `t:`/`l:`/`w:` subjects.
 */
import type { MediationOutcome, MediationRecord } from '@lianfang/geo';
import { Tally } from '../reports/tally.ts';

export const roomSubject = (roomId: string) => `m:${roomId}`;
export const mediationTownshipSubject = (townshipId: string | null) => `mw:${townshipId ?? '-'}`;
export const NO_TOWNSHIP = '-';

/** Figures per subject and day; docs/api.md defines each. */
export const MEDIATION_FIGURES = {
  records: 'med',
  agreements: 'medAgr',
} as const;
export const OUTCOME_FIGURE: Record<MediationOutcome, string> = {
  settled: 'medOk',
  not_settled: 'medNo',
  withdrawn: 'medWd',
  passed_up: 'medUp',
};

/** The parts of an incident the mediation tally reads (structural: no import of incidents). */
export interface MediatedIncident {
  category: string;
  townshipId: string | null;
  history: readonly { event: string; at: number; mediation?: MediationRecord | null }[];
}

/**
 * The tally spec of the steps `after` adds over `before` ('' when they record no mediation), each
 * on the county day it was taken (a live step is taken `now`; the demo writes a past history at once).
 */
export function mediationTally(before: MediatedIncident, after: MediatedIncident, timeZone: string): string {
  if (after.category !== 'dispute') return '';
  const t = new Tally(timeZone);
  for (const step of after.history.slice(before.history.length)) {
    const m = step.mediation;
    if (!m) continue;
    for (const subject of [roomSubject(m.roomId), mediationTownshipSubject(after.townshipId)]) {
      t.add(step.at, subject, MEDIATION_FIGURES.records);
      t.add(step.at, subject, OUTCOME_FIGURE[m.outcome]);
      if (m.agreement) t.add(step.at, subject, MEDIATION_FIGURES.agreements);
    }
  }
  return t.spec();
}
