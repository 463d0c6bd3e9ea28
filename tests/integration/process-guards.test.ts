/** The process's last-resort handlers, in a real child process: a stray throw is logged, then exit 1. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs `body` after installing the guards with a JSON-line logger on stdout; resolves the exit code and output. */
function runGuarded(body: string): Promise<{ code: number | null; output: string }> {
  const script = `
    import { installProcessGuards } from './server/src/processGuards.ts';
    const log = { fatal: (obj, msg) => console.log(JSON.stringify({ level: 'fatal', err: String(obj.err), msg })) };
    installProcessGuards(log, async () => { console.log('closed'); });
    ${body}
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('process guards', () => {
  it('logs a synchronous throw in a timer, closes, and exits 1 for the supervisor', async () => {
    const { code, output } = await runGuarded(`setTimeout(() => { throw new Error('boom in a timer'); }, 10);`);
    expect(code).toBe(1);
    expect(output).toMatch(/"level":"fatal".*boom in a timer.*uncaught exception: exiting/);
    expect(output).toContain('closed');
  });

  it('logs an unhandled rejection and exits 1', async () => {
    const { code, output } = await runGuarded(`Promise.reject(new Error('nobody caught me'));`);
    expect(code).toBe(1);
    expect(output).toMatch(/nobody caught me.*unhandled rejection: exiting/);
  });
});
