/**
 * The next holiday from the holiday calendar (GET /api/coverage/calendar?year=): its first and
 * last consecutive day off on or after `today`, and its name; null when neither this year nor
 * the next lists one.
 */
import type { CalendarResponse } from '@lianfang/server/api';
import { getJson } from '../api';
import { addDays } from './week';

export interface Holiday {
  fromDay: string;
  toDay: string;
  name: string;
  nameEn: string;
}

/** The first run of consecutive holiday dates starting on or after `today`. */
export function firstHoliday(days: readonly { date: string; name: string; nameEn: string }[], today: string): Holiday | null {
  const sorted = [...days].filter((d) => d.date >= today).sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0];
  if (!first) return null;
  let toDay = first.date;
  for (const d of sorted.slice(1)) {
    if (d.date !== addDays(toDay, 1)) break;
    toDay = d.date;
  }
  return { fromDay: first.date, toDay, name: first.name, nameEn: first.nameEn };
}

export async function nextHoliday(today: string): Promise<Holiday | null> {
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    try {
      const calendar = await getJson<CalendarResponse>(`/api/coverage/calendar?year=${y}`);
      const found = firstHoliday(calendar.holidays, today);
      if (found) return found;
    } catch {
      return null;
    }
  }
  return null;
}
