import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGeographyReadModel } from '../../../../server/src/geography/readModel.ts';

const snapshot = { version: 1, raw: { locations: [], grids: [], townships: [], organisations: [], county: undefined } };

describe(createGeographyReadModel.name, () => {
  afterEach(() => vi.useRealTimers());

  it('during an outage tries the key locations again once a second and reports it once, not on every request', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    let fail = false;
    const read = vi.fn(async () => {
      if (fail) throw new Error('The client is offline');
      return snapshot;
    });
    const errors: Error[] = [];
    const cache = createGeographyReadModel({ snapshot: read } as never, (err) => errors.push(err));
    await cache.recent();
    fail = true;
    for (let second = 0; second < 3; second++) {
      vi.advanceTimersByTime(1001);
      for (let request = 0; request < 100; request++) {
        expect((await cache.recent()).version).toBe(1); // the last good index keeps serving
        await Promise.resolve();
      }
    }
    expect(read).toHaveBeenCalledTimes(1 + 3);
    expect(errors).toHaveLength(1);

    fail = false;
    vi.advanceTimersByTime(1001);
    await cache.recent();
    await new Promise((resolve) => setImmediate(resolve)); // the background re-read succeeds
    fail = true;
    vi.advanceTimersByTime(1001);
    await cache.recent();
    await vi.waitFor(() => expect(errors).toHaveLength(2)); // a new outage is reported again
  });
});
