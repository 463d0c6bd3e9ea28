import { describe, expect, it } from 'vitest';
import { historyRecentMs } from '../../../../server/src/tracking/plugin.ts';

const MIN = 60_000;
const defaults = { historyRecentMin: 120, checkinOfflineWindowMin: 30, futureToleranceS: 120, offDutyAfterS: 3600 };

describe(historyRecentMs.name, () => {
  it('keeps positions in the stream for HISTORY_RECENT_MIN by default', () => {
    expect(historyRecentMs(defaults)).toBe(120 * MIN);
  });

  it('never compacts what a late check-in may still need as evidence, nor what tells a real phone from the simulator', () => {
    // A check-in sent from offline 24 h later looks for the team's fixes received within that window (+ 5 min + tolerance).
    expect(historyRecentMs({ ...defaults, historyRecentMin: 10, checkinOfflineWindowMin: 24 * 60 })).toBe(24 * 60 * MIN + 5 * MIN + 120_000);
    expect(historyRecentMs({ ...defaults, historyRecentMin: 10, offDutyAfterS: 6 * 3600 })).toBe(6 * 60 * MIN);
  });
});
