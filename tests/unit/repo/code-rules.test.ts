/**
 * Two rules of the house that a grep can hold: Lua lives in .lua files (linted, with headers),
 * and route handlers are typed by the TypeBox type provider, not by casts that can drift from
 * the schema.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

/** `git grep` over tracked and untracked files; the matching lines ('' when none). */
function grep(pattern: string, ...paths: string[]): string[] {
  try {
    return execFileSync('git', ['grep', '--untracked', '-n', '-E', pattern, '--', ...paths], { cwd: root, encoding: 'utf8' }).trim().split('\n');
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

describe('code rules', () => {
  it('no Lua inside TypeScript: every redis.call is in a .lua file', () => {
    expect(grep('redis\\.p?call\\(', '*.ts', '*.mjs', ':!tests/unit/repo/code-rules.test.ts')).toEqual([]);
  });

  it('no `as Static<` casts in the server: the type provider types requests from their schemas', () => {
    expect(grep('as Static<', 'server/src')).toEqual([]);
  });
});
