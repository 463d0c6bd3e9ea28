/**
 * `npm run import -- holidays FILE`: a year's official arrangement from JSON or CSV, through the
 * same checks and storage as PUT /api/coverage/calendar/:year, audited. Running servers see the
 * plan version move and recompute on their next tick.
 */
import { parseHolidayFile } from '@lianfang/geo';
import type { Redis } from '../../server/src/plugins/redis.ts';
import type { Keys } from '../../server/src/keys.ts';
import { createAuditLog } from '../../server/src/access/audit.ts';
import { createCoverageStore } from '../../server/src/coverage/store.ts';
import { enterHolidayYear } from '../../server/src/coverage/calendar.ts';

/** Resolves the exit code: 0 imported, 1 the file has problems (nothing written). */
export async function importHolidays(store: { redis: Redis; keys: Keys; url: string }, file: string, text: string): Promise<number> {
  const parsed = parseHolidayFile(text);
  const outcome = parsed.ok ? await enterHolidayYear(createCoverageStore(store.redis, store.keys), parsed.calendar) : parsed;
  if (!outcome.ok) {
    console.error(`${file}: ${outcome.issues.length} problem(s); nothing was imported.`);
    for (const issue of outcome.issues.slice(0, 50)) console.error(`  - ${issue.field}: ${issue.reason}`);
    return 1;
  }
  const { calendar, replaced } = outcome;
  const counts = { holidays: calendar.holidays.length, makeUpWorkdays: calendar.makeUpWorkdays.length };
  await createAuditLog(store.redis, store.keys).record({ at: Date.now(), actor: 'cli', role: 'admin', action: 'import', target: `calendar:${calendar.year}`, ip: 'cli', detail: { file, replaced, ...counts } });
  console.log(`${replaced ? 'replaced' : 'entered'} ${calendar.year}'s holidays in ${store.url}: ${counts.holidays} days off, ${counts.makeUpWorkdays} make-up working days`);
  return 0;
}
