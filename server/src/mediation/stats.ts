/**
 * Mediation statistics (调解统计) by room or by township over county days: the tally subjects
 * `m:` and `mw:` (tally.ts) summed from the reports' day and month hashes, never a scan of the
 * incidents. Pure but for the read, which is the reports' own (reports/report.ts).
 */
import type { MediationRoom } from '@lianfang/geo';
import type { SubjectFigures } from '../reports/report.ts';
import type { MediationStatsRow } from './schemas.ts';
import { MEDIATION_FIGURES, NO_TOWNSHIP, OUTCOME_FIGURE } from './tally.ts';

export type MediationGroupBy = 'room' | 'township';

export interface StatsContext {
  rooms: ReadonlyMap<string, MediationRoom>;
  townshipName(id: string): string;
  /** The label of records of disputes outside every township. */
  noTownship: string;
}

type Figures = Omit<MediationStatsRow, 'key' | 'label' | 'kind' | 'level'>;

function figuresOf(f: ReadonlyMap<string, number | number[]> | undefined, into: Figures): void {
  const g = (name: string) => {
    const v = f?.get(name);
    return typeof v === 'number' ? v : 0;
  };
  into.records += g(MEDIATION_FIGURES.records);
  into.settled += g(OUTCOME_FIGURE.settled);
  into.notSettled += g(OUTCOME_FIGURE.not_settled);
  into.withdrawn += g(OUTCOME_FIGURE.withdrawn);
  into.passedUp += g(OUTCOME_FIGURE.passed_up);
  into.agreements += g(MEDIATION_FIGURES.agreements);
}

const empty = (): Figures => ({ records: 0, settled: 0, notSettled: 0, withdrawn: 0, passedUp: 0, agreements: 0, successRate: null });
const rate = (f: Figures): Figures => ({ ...f, successRate: f.records > 0 ? Math.round((f.settled / f.records) * 10_000) / 10_000 : null });
const BY_NAME = new Intl.Collator('zh-CN');

/**
 * The rows (only rooms or townships with a record in the period) and the total. `townshipId`:
 * only the records of that township's disputes (by township) or that township's rooms (by room;
 * county centres and county-wide professional rooms are then left out).
 */
export function mediationRows(sums: SubjectFigures, groupBy: MediationGroupBy, ctx: StatsContext, townshipId?: string): { rows: MediationStatsRow[]; total: MediationStatsRow } {
  const rows: MediationStatsRow[] = [];
  const total = empty();
  const prefix = groupBy === 'room' ? 'm:' : 'mw:';
  for (const [subject, f] of sums) {
    if (!subject.startsWith(prefix)) continue;
    const key = subject.slice(prefix.length);
    const figures = empty();
    figuresOf(f, figures);
    if (figures.records === 0) continue;
    if (groupBy === 'room') {
      const room = ctx.rooms.get(key);
      if (townshipId && room?.townshipId !== townshipId) continue;
      rows.push({ key, label: room?.name ?? key, kind: room?.kind ?? null, level: room?.level ?? null, ...rate(figures) });
    } else {
      if (townshipId && key !== townshipId) continue;
      rows.push({ key, label: key === NO_TOWNSHIP ? ctx.noTownship : ctx.townshipName(key), kind: null, level: null, ...rate(figures) });
    }
    figuresOf(f, total);
  }
  const LEVEL_ORDER = { village: 0, township: 1, county: 2 } as const;
  rows.sort((a, b) => (a.level ? LEVEL_ORDER[a.level] : 3) - (b.level ? LEVEL_ORDER[b.level] : 3) || BY_NAME.compare(a.label, b.label) || (a.key < b.key ? -1 : 1));
  return { rows, total: { key: 'total', label: '', kind: null, level: null, ...rate(total) } };
}
