import { describe, expect, it } from 'vitest';
import type { TeamCheckInsBatch } from '@lianfang/server/events';
import { checkInAt, checkInWithCode, resultOf, withResult, withTeamCheckIns } from '../../../web/src/lib/patrol/checkInResults.ts';

const T = 1_800_000_000_000;
const fix = { lon: 118.77, lat: 34.12, time: T, accuracy: 8 };

describe('the check-in a patrol sends', () => {
  it('from a press carries the location and the fix with its accuracy', () => {
    expect(checkInAt('press-0001', 'L-1', T + 5, fix)).toEqual({ id: 'press-0001', locationId: 'L-1', time: T + 5, lon: 118.77, lat: 34.12, accuracy: 8 });
  });

  it('from a QR code names the location the code names, with the fix only when there is one', () => {
    expect(checkInWithCode('scan-0001', 'L-7.3.sig', T, null)).toEqual({ id: 'scan-0001', code: 'L-7.3.sig', locationId: 'L-7', time: T });
    expect(checkInWithCode('scan-0002', 'L-7.3.sig', T, fix)).toMatchObject({ lon: 118.77, lat: 34.12, accuracy: 8 });
  });
});

describe('what a location shows once the server answered', () => {
  it('done (or already counted), too far with the metres, or refused', () => {
    const checkIn = { id: 'press-0001', teamId: 'TM001', locationId: 'L-1', kind: 'explicit', time: T, lon: 118.77, lat: 34.12, accuracy: 8, distance: 3 };
    expect(resultOf({ data: { checkIn, duplicate: true } } as Parameters<typeof resultOf>[0])).toEqual({ state: 'done', time: T, duplicate: true });
    expect(resultOf({ error: { message: 'too far', distance: 240.2, allowed: 60 } })).toEqual({ state: 'too-far', distance: 240.2, allowed: 60 });
    expect(resultOf({ error: { message: 'unknown location', field: 'locationId' } })).toEqual({ state: 'rejected' });
  });

  it('nothing yet when the server failed on its side: the check-in is sent again', () => {
    expect(resultOf({ error: { message: 'internal error, retry' } })).toBeNull();
  });

  it('clears a location for a new press without touching the others', () => {
    const results = withResult(withResult({}, 'L-1', { state: 'no-fix' }), 'L-2', { state: 'rejected' });
    expect(withResult(results, 'L-1')).toEqual({ 'L-2': { state: 'rejected' } });
    expect(withResult(results, 'L-9')).toBe(results);
  });
});

describe("the team's check-ins from another phone", () => {
  const batch = (checkIns: { teamId: string; locationId: string; time: number }[]) => ({ checkIns, at: T }) as unknown as TeamCheckInsBatch;

  it("show as done on this phone, the team's only, never replacing a later one", () => {
    const held = withResult({}, 'L-1', { state: 'done', time: T + 10, duplicate: false });
    const next = withTeamCheckIns(held, batch([
      { teamId: 'TM001', locationId: 'L-1', time: T },
      { teamId: 'TM001', locationId: 'L-2', time: T + 20 },
      { teamId: 'TM002', locationId: 'L-3', time: T },
    ]).checkIns, 'TM001');
    expect(next).toEqual({
      'L-1': { state: 'done', time: T + 10, duplicate: false },
      'L-2': { state: 'done', time: T + 20, duplicate: false },
    });
  });
});
