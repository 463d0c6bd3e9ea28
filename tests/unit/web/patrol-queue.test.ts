import { describe, expect, it } from 'vitest';
import type { PatrolCheckIn, PatrolFix } from '@lianfang/server/events';
import { memoryStorage } from './memoryStorage.ts';
import {
  enqueue,
  hasCheckInAt,
  itemKey,
  loadQueue,
  nextBatch,
  rejectedFixIndex,
  removeKeys,
  saveQueue,
  stepsFor,
  withoutSteps,
  type QueueItem,
} from '../../../web/src/lib/patrol/queue.ts';

const T = 1_800_000_000_000;
const fix = (time: number, lon = 118.77, lat = 34.12): QueueItem => ({ kind: 'fix', fix: { lon, lat, time } });
const checkIn = (id: string, time = T): QueueItem => ({ kind: 'checkin', checkIn: { id, locationId: 'L-1', time, lon: 118.77, lat: 34.12 } });

/** localStorage as the browser has it, in memory. */

describe('the patrol outbox', () => {
  it('keeps one copy of a fix or check-in queued twice', () => {
    let items = enqueue([], fix(T));
    items = enqueue(items, fix(T));
    items = enqueue(items, checkIn('press-0001'));
    items = enqueue(items, checkIn('press-0001'));
    expect(items.map(itemKey)).toEqual([`f:${T}`, 'c:press-0001']);
  });

  it('drops the oldest fixes past its limit but never a check-in', () => {
    let items: QueueItem[] = [];
    items = enqueue(items, fix(T), 2);
    items = enqueue(items, checkIn('press-0001'), 2);
    items = enqueue(items, fix(T + 1), 2);
    items = enqueue(items, fix(T + 2), 2);
    expect(items.map(itemKey)).toEqual(['c:press-0001', `f:${T + 1}`, `f:${T + 2}`]);
  });

  it('sends the run of fixes at the head together, and a check-in on its own, in the order taken', () => {
    const items = [fix(T), fix(T + 1), checkIn('press-0001'), fix(T + 2)];
    expect(nextBatch(items)).toEqual({ kind: 'fixes', fixes: [items[0], items[1]].map((i) => (i as { fix: PatrolFix }).fix), keys: [`f:${T}`, `f:${T + 1}`] });
    const rest = removeKeys(items, new Set([`f:${T}`, `f:${T + 1}`]));
    expect(nextBatch(rest)).toEqual({ kind: 'checkin', checkIn: (items[2] as { checkIn: PatrolCheckIn }).checkIn, key: 'c:press-0001' });
    expect(nextBatch([])).toBeNull();
  });

  it('splits a long offline stretch into batches the server takes', () => {
    const items = Array.from({ length: 450 }, (_, i) => fix(T + i));
    const batch = nextBatch(items, 200);
    expect(batch?.kind === 'fixes' && batch.fixes.length).toBe(200);
  });

  it('survives a reload: what is saved is what is loaded, and a garbled value loads as empty', () => {
    const storage = memoryStorage();
    const items = [fix(T), checkIn('press-0001')];
    expect(saveQueue(storage, 'q', items)).toBe(true);
    expect(loadQueue(storage, 'q')).toEqual(items);
    storage.setItem('q', '{not json');
    expect(loadQueue(storage, 'q')).toEqual([]);
    storage.setItem('q', JSON.stringify([{ kind: 'fix', fix: { lon: 'x' } }, ...items]));
    expect(loadQueue(storage, 'q')).toEqual(items);
    saveQueue(storage, 'q', []);
    expect(storage.data.has('q')).toBe(false);
  });

  it('says so when the browser refuses to store it (storage full)', () => {
    const full = { ...memoryStorage(), setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
    expect(saveQueue(full, 'q', [fix(T)])).toBe(false);
  });
});

describe(rejectedFixIndex.name, () => {
  it('finds the fix an error names, and nothing for an error about the whole message', () => {
    expect(rejectedFixIndex('positions.3.time')).toBe(3);
    expect(rejectedFixIndex('positions')).toBeNull();
    expect(rejectedFixIndex(undefined)).toBeNull();
  });
});

describe('what the outbox shows waiting', () => {
  const step = (key: string, incidentId: string, action: 'accept' | 'arrive'): QueueItem => ({ kind: 'step', step: { key, payload: { incidentId, action } } });

  it('a check-in waiting at a location marks that location only', () => {
    const items = [fix(T), checkIn('press-0001')];
    expect(hasCheckInAt(items, 'L-1')).toBe(true);
    expect(hasCheckInAt(items, 'L-2')).toBe(false);
  });

  it("lists an incident's waiting steps in the order taken, and drops them all after a refusal", () => {
    const items = [step('s1', 'inc-1', 'accept'), fix(T), step('s2', 'inc-2', 'accept'), step('s3', 'inc-1', 'arrive')];
    expect(stepsFor(items, 'inc-1')).toEqual(['accept', 'arrive']);
    expect(withoutSteps(items, 'inc-1').map(itemKey)).toEqual([`f:${T}`, 's:s2']);
  });
});
