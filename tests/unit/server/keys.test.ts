import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeys, KEY_LAYOUT, keyTableMarkdown } from '../../../server/src/keys.ts';
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
    expect(keys.teams).toBe('county7:teams');
    expect(keys.teamPosition('T1')).toBe('county7:team:pos:T1');
    expect(keys.teamPosition.length).toBe(1);
    expect(keys.checkinId('T1', 'c9')).toBe('county7:checkin:id:T1:c9');
    expect(keys.rateLimit('login', '10.0.0.1', 42)).toBe('county7:rl:login:10.0.0.1:42');
    expect(keys.covClassVisits('T01|r1', 2)).toBe(`${keys.covClassVisitsPrefix}T01|r1:2`);
    expect(keys.covLegacy).toEqual(['county7:cov:req', 'county7:cov:state', 'county7:cov:next']);
    expect(keys.socketChannel).toBe('county7:socket.io');
    expect(keys.prefix).toBe('county7:');
  });
});
