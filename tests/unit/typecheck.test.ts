/**
 * The type check is part of `npm test`: the server, geo, scripts and tests through tsc, the web
 * app through svelte-check (after `svelte-kit sync` writes its generated types). A type error
 * fails the run with the compiler's own report.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// tsc alone takes about a minute on a busy two-core machine.
const TIMEOUT_MS = 5 * 60_000;

/** Runs a Node script to its end; resolves its exit code and everything it printed. */
function run(script: string, args: string[], cwd = root): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, script), ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('type check', () => {
  it('finds no type error in server, geo, scripts and tests (tsc)', { timeout: TIMEOUT_MS }, async () => {
    const { code, output } = await run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit', '--pretty', 'false']);
    expect(output.trim(), 'tsc -p tsconfig.json --noEmit reported errors').toBe('');
    expect(code).toBe(0);
  });

  it('finds no type error in the web app (svelte-check)', { timeout: TIMEOUT_MS }, async () => {
    const web = join(root, 'web');
    const sync = await run('node_modules/@sveltejs/kit/svelte-kit.js', ['sync'], web);
    expect(sync.code, `svelte-kit sync failed:\n${sync.output}`).toBe(0);
    const { code, output } = await run('node_modules/svelte-check/bin/svelte-check', ['--tsconfig', './tsconfig.json', '--output', 'human'], web);
    expect(code, `svelte-check reported errors:\n${output}`).toBe(0);
  });
});
