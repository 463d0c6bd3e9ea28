import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Every integration and browser test file starts its own redis-server and server on port 0.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // expect.poll waits for a state a user would see; its 1 s default fails a correct screen on
    // this shared 2-core machine when the whole suite runs (a poll passes as soon as the state holds).
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
