/**
 * A newcomer reads a module in one sitting: no source file over 400 lines. The i18n tables are
 * data, not logic, and are exempt.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const MAX_LINES = 400;
const SOURCE = /\.(ts|mjs|js|svelte|css|lua)$/;
const EXEMPT = [/^web\/src\/lib\/i18n\/(en|zh)\.ts$/];

describe('source files', () => {
  it(`stay at or under ${MAX_LINES} lines`, () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => SOURCE.test(f) && !EXEMPT.some((re) => re.test(f)));
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((file) => {
        try {
          return { file, lines: readFileSync(join(root, file), 'utf8').split('\n').length - 1 };
        } catch {
          return { file, lines: 0 }; // deleted in the work tree, not yet in the index
        }
      })
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(long, 'split these along a real seam').toEqual([]);
  });
});
