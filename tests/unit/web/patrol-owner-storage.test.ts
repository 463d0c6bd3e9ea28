import { describe, expect, it } from 'vitest';
import type { PatrolIdentity } from '@lianfang/server/events';
import { forgetOwner, keepIdentity, keepOnDuty, ownerKey, readIdentity, readOnDuty, type PatrolAuth } from '../../../web/src/lib/patrol/ownerStorage.ts';
import { memoryStorage } from './memoryStorage.ts';


const device: PatrolAuth = { kind: 'device', identifier: 'tggp3lictdoivltgbqittjq2mu' };
const account: PatrolAuth = { kind: 'session', userId: 'u-7', name: '潘刚' };
const identity: PatrolIdentity = { teamId: 'TM001', callSign: '沭城巡01', memberName: '潘刚', deviceId: 'D1', status: 'on_patrol', locations: [] };

describe('what the patrol page keeps per owner', () => {
  it('keeps a device link and a patrol account apart', () => {
    expect(ownerKey(device, 'queue')).toBe('lianfang.patrol.queue.device:tggp3lictdoivltgbqittjq2mu');
    expect(ownerKey(account, 'queue')).toBe('lianfang.patrol.queue.user:u-7');
  });

  it('remembers being off duty across a reload, and is on duty otherwise', () => {
    const store = memoryStorage();
    expect(readOnDuty(device, store)).toBe(true);
    keepOnDuty(device, false, store);
    expect(readOnDuty(device, store)).toBe(false);
    expect(readOnDuty(account, store)).toBe(true);
    keepOnDuty(device, true, store);
    expect(store.data.size).toBe(0);
  });

  it('shows the identity last answered before the server answers again, and none when garbled', () => {
    const store = memoryStorage();
    keepIdentity(device, identity, store);
    expect(readIdentity(device, store)).toEqual(identity);
    store.setItem(ownerKey(device, 'identity'), '{not json');
    expect(readIdentity(device, store)).toBeNull();
  });

  it("forgets a refused owner's outbox, identity and duty choice, and no one else's", () => {
    const store = memoryStorage();
    for (const auth of [device, account]) {
      store.setItem(ownerKey(auth, 'queue'), '[]');
      keepIdentity(auth, identity, store);
      keepOnDuty(auth, false, store);
    }
    forgetOwner(device, store);
    expect([...store.data.keys()].sort()).toEqual([ownerKey(account, 'identity'), ownerKey(account, 'offDuty'), ownerKey(account, 'queue')].sort());
  });

  it('works from memory when the browser refuses storage', () => {
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => { throw new Error('denied'); } };
    expect(readOnDuty(device, refusing)).toBe(true);
    expect(readIdentity(device, refusing)).toBeNull();
    expect(() => { keepOnDuty(device, false, refusing); keepIdentity(device, identity, refusing); forgetOwner(device, refusing); }).not.toThrow();
  });
});
