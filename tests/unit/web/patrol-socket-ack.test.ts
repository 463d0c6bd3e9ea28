import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_TIMEOUT_MS, connectRefusal, isRetry, withAck } from '../../../web/src/lib/patrol/socketAck.ts';

describe(withAck.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resolves with the server's answer", async () => {
    await expect(withAck<string>((ack) => ack('ok'))).resolves.toBe('ok');
  });

  it('gives up when no answer comes in time, so the item stays queued', async () => {
    const answer = withAck<string>(() => {});
    vi.advanceTimersByTime(ACK_TIMEOUT_MS);
    await expect(answer).rejects.toThrow('ack timeout');
  });
});

describe('answers from the server', () => {
  it('a failure on its side is sent again; a refusal or an answer is not', () => {
    expect(isRetry({ error: { message: 'internal error, retry' } })).toBe(true);
    expect(isRetry({ error: { message: 'note is required' } })).toBe(false);
    expect(isRetry({ data: {} })).toBe(false);
  });

  it('a refused handshake says why; a store restarting is retried', () => {
    expect(connectRefusal('unknown device')).toBe('unknown');
    expect(connectRefusal('revoked device')).toBe('revoked');
    expect(connectRefusal('unauthorized')).toBe('unauthorized');
    expect(connectRefusal('unavailable')).toBeNull();
    expect(connectRefusal('toString')).toBeNull();
  });
});
