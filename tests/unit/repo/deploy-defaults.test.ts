/**
 * A careless deployment: `docker compose up` with no settings, or `npm start` left running for a
 * season. Compose must start no demo accounts or simulated patrols unless asked, and both must
 * cap Redis's memory with a policy that refuses writes rather than evicting history or sessions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('deployment defaults', () => {
  it('docker compose starts no demo and no simulator unless DEMO or SIMULATE is set', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toMatch(/DEMO: \$\{DEMO:-false\}/);
    expect(compose).toMatch(/SIMULATE: \$\{SIMULATE:-false\}/);
  });

  it('docker compose and npm start cap Redis at REDIS_MAXMEMORY with noeviction', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toContain('"--maxmemory", "${REDIS_MAXMEMORY:-2gb}", "--maxmemory-policy", "noeviction"');
    const start = read('scripts/start.mjs');
    expect(start).toContain("'--maxmemory', maxmemory, '--maxmemory-policy', 'noeviction'");
    expect(start).toMatch(/process\.env\.REDIS_MAXMEMORY \|\| '2gb'/);
  });
});
