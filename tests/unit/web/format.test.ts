import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatFixTime } from '../../../web/src/lib/format.ts';
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
