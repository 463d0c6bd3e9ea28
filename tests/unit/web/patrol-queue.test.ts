import { describe, expect, it } from 'vitest';
import type { PatrolCheckIn, PatrolFix } from '@lianfang/server/events';
import {
  enqueue,
  fixFromPosition,
  itemKey,
  loadQueue,
  nextBatch,
  rejectedFixIndex,
  removeKeys,
  saveQueue,
  worthKeeping,
  type QueueItem,
} from '../../../web/src/lib/patrol/queue.ts';

const T = 1_800_000_000_000;
const fix = (time: number, lon = 118.77, lat = 34.12): QueueItem => ({ kind: 'fix', fix: { lon, lat, time } });
const checkIn = (id: string, time = T): QueueItem => ({ kind: 'checkin', checkIn: { id, locationId: 'L-1', time, lon: 118.77, lat: 34.12 } });

/** localStorage as the browser has it, in memory. */
function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

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

describe(worthKeeping.name, () => {
  const at = (time: number, east = 0) => ({ lon: 118.77 + east / 92_000, lat: 34.12, time });

  it('keeps a fix every 5 s standing still, and sooner after moving 10 m', () => {
    expect(worthKeeping(null, at(T))).toBe(true);
    expect(worthKeeping(at(T), at(T + 1000))).toBe(false);
    expect(worthKeeping(at(T), at(T + 1000, 15))).toBe(true);
    expect(worthKeeping(at(T), at(T + 5000))).toBe(true);
  });

  it('ignores a repeat of the same fix', () => {
    expect(worthKeeping(at(T), at(T, 50))).toBe(false);
  });
});

describe(fixFromPosition.name, () => {
  const position = (coords: Partial<GeolocationCoordinates>): GeolocationPosition =>
    ({ timestamp: T + 0.4, coords: { latitude: 34.12, longitude: 118.77, accuracy: 12.34, heading: null, speed: null, altitude: null, altitudeAccuracy: null, ...coords } }) as GeolocationPosition;

  it('leaves out what the server would reject: no heading while standing, no negative speed', () => {
    expect(fixFromPosition(position({ heading: NaN, speed: -1 }))).toEqual({ lon: 118.77, lat: 34.12, time: T, accuracy: 12.3 });
    expect(fixFromPosition(position({ heading: 90.4, speed: 1.26 }))).toEqual({ lon: 118.77, lat: 34.12, time: T, accuracy: 12.3, heading: 90, speed: 1.3 });
  });
});

describe(rejectedFixIndex.name, () => {
  it('finds the fix an error names, and nothing for an error about the whole message', () => {
    expect(rejectedFixIndex('positions.3.time')).toBe(3);
    expect(rejectedFixIndex('positions')).toBeNull();
    expect(rejectedFixIndex(undefined)).toBeNull();
  });
});
