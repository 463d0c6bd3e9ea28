import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import calculateSlot from 'cluster-key-slot';
import { createKeys, hashTagOf, KEY_LAYOUT, keyTableMarkdown, taggedPrefix } from '../../../server/src/keys.ts';
import { ARCHITECTURE_DOC, documentedKeyTable } from '../../../scripts/docs-keys.ts';

/** The first row where two tables differ, as a message a reader can act on (undefined when equal). */
function firstDifference(documented: string, generated: string): string | undefined {
  const doc = documented.split('\n');
  const gen = generated.split('\n');
  for (let i = 0; i < Math.max(doc.length, gen.length); i++) {
    if (doc[i] === gen[i]) continue;
    return `row ${i + 1} differs:\n  docs/architecture.md: ${doc[i] ?? '(missing)'}\n  server/src/keys.ts:   ${gen[i] ?? '(missing)'}`;
  }
  return undefined;
}

describe('Redis key layout', () => {
  it('is documented in docs/architecture.md exactly as keys.ts describes it', () => {
    const difference = firstDifference(documentedKeyTable(readFileSync(ARCHITECTURE_DOC, 'utf8')), keyTableMarkdown());
    expect(difference, `The Redis key table in docs/architecture.md is not the one server/src/keys.ts describes; run \`npm run docs:keys\`.\n${difference}`).toBeUndefined();
  });

  it('names every key once', () => {
    const names = KEY_LAYOUT.map((e) => e.name);
    const patterns = KEY_LAYOUT.map((e) => e.pattern);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(patterns.filter((p, i) => patterns.indexOf(p) !== i)).toEqual([]);
  });

  it('builds every key name from the prefix, with per-id keys as functions of their ids', () => {
    const keys = createKeys('county7:');
    expect(keys.teams).toBe('{county7}:teams');
    expect(keys.teamPosition('T1')).toBe('{county7}:team:pos:T1');
    expect(keys.teamPosition.length).toBe(1);
    expect(keys.checkinId('T1', 'c9')).toBe('{county7}:checkin:id:T1:c9');
    expect(keys.rateLimit('login', '10.0.0.1', 42)).toBe('{county7}:rl:login:10.0.0.1:42');
    expect(keys.covClassVisits('T01|r1', 2)).toBe(`${keys.covClassVisitsPrefix}T01|r1:2`);
    expect(keys.covLegacy).toEqual(['{county7}:cov:req', '{county7}:cov:state', '{county7}:cov:next']);
    expect(keys.socketChannel).toBe('{county7}:socket.io');
    expect(keys.prefix).toBe('{county7}:');
  });

  it('puts every key of a deployment in one Redis Cluster slot, and different counties in different slots', () => {
    const slotsOf = (prefix: string) => {
      const keys = createKeys(prefix) as unknown as Record<string, unknown>;
      const names: string[] = [];
      for (const value of Object.values(keys)) {
        if (typeof value === 'string') names.push(value);
        else if (Array.isArray(value)) names.push(...(value as string[]));
        else if (typeof value === 'function') names.push((value as (...a: unknown[]) => string)(...Array.from({ length: value.length }, (_, i) => `x${i}`)));
      }
      return new Set(names.map((n) => calculateSlot(n)));
    };
    expect(slotsOf('lf:').size).toBe(1);
    expect(slotsOf('county7:').size).toBe(1);
    expect([...slotsOf('county7:')][0]).not.toBe([...slotsOf('county8:')][0]);
  });

  it('takes the hash tag a prefix already holds, and makes one from a prefix without', () => {
    expect(taggedPrefix('lf:')).toBe('{lf}:');
    expect(taggedPrefix('lf')).toBe('{lf}');
    expect(taggedPrefix('city.county-7:')).toBe('{city.county-7}:');
    expect(taggedPrefix('city:{county7}:')).toBe('city:{county7}:');
    expect(hashTagOf('city:{county7}:')).toBe('county7');
    expect(() => taggedPrefix('lf{:')).toThrow(/brace/);
    expect(() => taggedPrefix(':')).toThrow(/needs a name/);
  });
});
