import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  clearPendingRequest,
  formField,
  groupReference,
  keepReference,
  keptReferences,
  missingFields,
  normalisePhone,
  normaliseReference,
  pendingRequestId,
  timeline,
  type HelpInput,
} from '../../../web/src/lib/help/form.ts';
import { qrPath } from '../../../web/src/lib/help/qr.ts';
import { memoryStorage } from './memoryStorage.ts';


const input = (over: Partial<HelpInput> = {}): HelpInput => ({
  category: 'dispute',
  description: '  楼上漏水，协商不成  ',
  name: '  ',
  phone: ' 13800001111 ',
  location: null,
  ...over,
});

const T = 1_800_000_000_000;

describe('the help request sent', () => {
  it('is trimmed and leaves out an empty name and a location not given', () => {
    expect(buildRequest('req-00000001', 'G1', input())).toEqual({
      id: 'req-00000001',
      gridId: 'G1',
      category: 'dispute',
      description: '楼上漏水，协商不成',
      phone: '13800001111',
    });
  });

  it('carries the name and the location when given', () => {
    const request = buildRequest('req-00000001', 'G1', input({ name: ' 王芳 ', location: { lon: 118.77, lat: 34.12 } }));
    expect(request).toMatchObject({ name: '王芳', lon: 118.77, lat: 34.12 });
  });

  it('takes a phone number typed with spaces, brackets or full-width digits as the server spells it', () => {
    expect(normalisePhone(' 138 0000 1111 ')).toBe('13800001111');
    expect(normalisePhone('１３８００００１１１１')).toBe('13800001111');
    expect(normalisePhone('（0527）88881234')).toBe('052788881234');
    expect(normalisePhone('0527－88881234')).toBe('0527-88881234');
  });

  it('is not sent without a description or a phone number', () => {
    expect(missingFields(input({ description: ' ', phone: '' }))).toEqual(['description', 'phone']);
    expect(missingFields(input())).toEqual([]);
  });
});

describe('a server error next to its field', () => {
  it('names the form field from the 4xx field path', () => {
    expect(formField('body.phone')).toBe('phone');
    expect(formField('phone')).toBe('phone');
    expect(formField('body.description')).toBe('description');
    expect(formField('body.lon')).toBe('location');
    expect(formField('lat')).toBe('location');
  });

  it('is no field of the form for the id, the grid or nothing', () => {
    expect(formField('body.id')).toBeNull();
    expect(formField('gridId')).toBeNull();
    expect(formField(undefined)).toBeNull();
    expect(formField(null)).toBeNull();
  });
});

describe('the request id kept until the server has the request', () => {
  it('stays the same across presses of send and reloads, per grid', () => {
    const storage = memoryStorage();
    let n = 0;
    const make = () => `generated-${++n}`;
    const first = pendingRequestId(storage, 'G1', make);
    expect(pendingRequestId(storage, 'G1', make)).toBe(first);
    expect(pendingRequestId(storage, 'G2', make)).not.toBe(first);
  });

  it('is new once the server answered', () => {
    const storage = memoryStorage();
    const first = pendingRequestId(storage, 'G1');
    clearPendingRequest(storage, 'G1');
    expect(pendingRequestId(storage, 'G1')).not.toBe(first);
  });

  it('is one the server accepts, and a malformed kept one is replaced', () => {
    const storage = memoryStorage();
    storage.setItem('lianfang.help.pending.G1', 'bad id!');
    const id = pendingRequestId(storage, 'G1');
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(id).not.toBe('bad id!');
  });

  it('still works without storage', () => {
    expect(pendingRequestId(undefined, 'G1')).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});

describe('references', () => {
  it('are kept newest first, once each, at most ten', () => {
    const storage = memoryStorage();
    for (let i = 0; i < 12; i++) keepReference(storage, `REF${i}AAAA`, T + i);
    keepReference(storage, 'REF5AAAA', T + 99);
    const kept = keptReferences(storage);
    expect(kept).toHaveLength(10);
    expect(kept[0]).toEqual({ reference: 'REF5AAAA', at: T + 99 });
    expect(kept.filter((r) => r.reference === 'REF5AAAA')).toHaveLength(1);
  });

  it('typed with spaces, dashes or lower case are looked up as the server spells them', () => {
    expect(normaliseReference(' sy7k-3m9q 2x ')).toBe('SY7K3M9Q2X');
  });

  it('are shown in groups of four', () => {
    expect(groupReference('SY7K3M9Q2X')).toBe('SY7K 3M9Q 2X');
    expect(groupReference('ABCD')).toBe('ABCD');
  });
});

describe('the status timeline', () => {
  it('shows the states gone through with times, then the steps still ahead', () => {
    const entries = timeline({
      state: 'accepted',
      createdAt: T,
      steps: [
        { state: 'new', at: T },
        { state: 'dispatched', at: T + 60_000 },
        { state: 'accepted', at: T + 120_000 },
      ],
    });
    expect(entries.map((e) => [e.state, e.at, e.current])).toEqual([
      ['new', T, false],
      ['dispatched', T + 60_000, false],
      ['accepted', T + 120_000, true],
      ['on_scene', null, false],
      ['resolved', null, false],
    ]);
  });

  it('ends at resolved, and at escalated with nothing ahead', () => {
    const resolved = timeline({ state: 'resolved', createdAt: T, steps: [{ state: 'new', at: T }, { state: 'resolved', at: T + 1 }] });
    expect(resolved.map((e) => e.state)).toEqual(['new', 'resolved']);
    const escalated = timeline({ state: 'escalated', createdAt: T, steps: [{ state: 'new', at: T }, { state: 'escalated', at: T + 1 }] });
    expect(escalated.map((e) => e.state)).toEqual(['new', 'escalated']);
    expect(escalated.at(-1)!.current).toBe(true);
  });

  it('shows a request sent again after being passed up as it went', () => {
    const entries = timeline({
      state: 'dispatched',
      createdAt: T,
      steps: [
        { state: 'new', at: T },
        { state: 'escalated', at: T + 1 },
        { state: 'new', at: T + 2 },
        { state: 'dispatched', at: T + 3 },
      ],
    });
    expect(entries.map((e) => e.state)).toEqual(['new', 'escalated', 'new', 'dispatched', 'accepted', 'on_scene', 'resolved']);
  });

  it('starts at new when the server lists no steps yet', () => {
    expect(timeline({ state: 'new', createdAt: T, steps: [] })[0]).toEqual({ state: 'new', at: T, current: true });
  });
});

describe('the poster QR code', () => {
  it('is a square of modules with dark ones drawn, bigger for a longer address', () => {
    const short = qrPath('http://10.0.0.5/help/G1');
    const long = qrPath(`http://command-centre.shuyang.example:8080/help/${'G'.repeat(60)}`);
    expect(short.size).toBeGreaterThanOrEqual(21);
    expect((short.size - 17) % 4).toBe(0);
    expect(long.size).toBeGreaterThan(short.size);
    expect(short.d).toMatch(/^(M\d+,\d+h1v1h-1z)+$/);
    // The three finder patterns: the corners are dark.
    for (const corner of ['M0,0h', `M${short.size - 1},0h`, `M0,${short.size - 1}h`]) expect(short.d).toContain(corner);
  });

  it('refuses text that is not ASCII (the address must be percent-encoded)', () => {
    expect(() => qrPath('http://x/help/网格')).toThrow(/ASCII/);
  });
});
