/**
 * Every Redis script passes luacheck, linted as Redis runs it: with its includes spliced in.
 * Scripts are the `.lua` files in a `lua/` folder under server/src or scripts/, except
 * includes (`lua/includes/`, and the shared `server/src/redis/lua/`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../../server/src/redis/script.ts';

const root = join(import.meta.dirname, '../../../..');
const shared = join(root, 'server/src/redis/lua');

export function scriptFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'includes' && path !== shared) walk(path);
      } else if (e.name.endsWith('.lua') && dir.split('/').includes('lua')) found.push(path);
    }
  };
  walk(join(root, 'server/src'));
  walk(join(root, 'scripts'));
  return found.sort();
}

describe('Redis scripts', () => {
  it('pass luacheck with their includes spliced in', () => {
    const files = scriptFiles();
    expect(files.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'lf-lua-'));
    try {
      const assembled = files.map((file) => {
        const out = join(dir, relative(root, file).replaceAll('/', '__'));
        writeFileSync(out, assemble(file));
        return out;
      });
      const lint = spawnSync('luacheck', ['--config', join(root, '.luacheckrc'), '--codes', '--no-color', ...assembled], { encoding: 'utf8' });
      if (lint.error) throw new Error(`luacheck did not run (npm test installs lua-check): ${lint.error.message}`);
      expect(lint.stdout.replaceAll(dir + '/', ''), 'luacheck found problems').toMatch(/0 warnings \/ 0 errors/);
      expect(lint.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('name only keys that keys.ts defines', () => {
    for (const file of scriptFiles()) expect(() => assemble(file), file).not.toThrow();
  });
});
