import { describe, expect, it } from 'vitest';
import { countyInputToTime, formatAgo, formatClock, formatDistance, formatDuration, formatFixTime, formatShortTime, timeToCountyInput } from '../../../web/src/lib/format.ts';
import { translate, type MessageKey, type MessageParams } from '../../../web/src/lib/i18n/messages.ts';

const zh = (key: MessageKey, params?: MessageParams) => translate('zh-CN', key, params);
/** 2026-01-05 08:03:09 in Beijing (UTC+8). */
const T = Date.UTC(2026, 0, 5, 0, 3, 9);

describe(formatClock.name, () => {
  it('shows the county time (Beijing) whatever the machine zone is', () => {
    expect(formatClock(T, 'zh-CN')).toEqual({ date: '2026-01-05 周一', time: '08:03:09' });
    expect(formatClock(T, 'en')).toEqual({ date: '2026-01-05 Mon', time: '08:03:09' });
  });
});

describe(formatFixTime.name, () => {
  it('gives the time of day for a fix from today and the date as well for an older one', () => {
    expect(formatFixTime(T, T + 60_000)).toBe('08:03:09');
    expect(formatFixTime(T, T + 86_400_000)).toBe('01-05 08:03');
  });
});

describe(formatAgo.name, () => {
  it('says how long ago in words a dispatcher reads at a glance', () => {
    expect(formatAgo(T, T + 3_000, zh)).toBe('刚刚');
    expect(formatAgo(T, T + 42_000, zh)).toBe('42 秒前');
    expect(formatAgo(T, T + 3 * 60_000 + 5_000, zh)).toBe('3 分钟前');
    expect(formatAgo(T, T + 5 * 3_600_000, zh)).toBe('5 小时前');
  });
});

describe(formatDuration.name, () => {
  it('says minutes, then hours and minutes, never less than a minute', () => {
    expect(formatDuration(10_000, zh)).toBe('1 分钟');
    expect(formatDuration(12 * 60_000 + 59_000, zh)).toBe('12 分钟');
    expect(formatDuration(65 * 60_000, zh)).toBe('1 小时 5 分');
  });
});

describe(formatDistance.name, () => {
  it('gives metres under a kilometre and kilometres above', () => {
    expect(formatDistance(421.4, zh)).toBe('421 米');
    expect(formatDistance(1273, zh)).toBe('1.3 公里');
    expect(formatDistance(12_700, zh)).toBe('13 公里');
  });
});

describe(formatShortTime.name, () => {
  it('gives hours and minutes today and the date too on another day', () => {
    expect(formatShortTime(T, T + 60_000)).toBe('08:03');
    expect(formatShortTime(T, T + 86_400_000)).toBe('01-05 08:03');
  });
});

describe('datetime-local values on the county clock', () => {
  it('round-trips a time through the input value, read as Beijing time whatever the machine zone', () => {
    expect(timeToCountyInput(T)).toBe('2026-01-05T08:03');
    expect(countyInputToTime('2026-01-05T08:03')).toBe(T - 9000);
    expect(countyInputToTime('2026-01-05T08:03:09')).toBe(T);
    expect(countyInputToTime('yesterday')).toBeNull();
  });
});
