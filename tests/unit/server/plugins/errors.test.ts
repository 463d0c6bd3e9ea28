import Fastify from 'fastify';
import { ErrorReply } from 'redis';
import { describe, expect, it } from 'vitest';
import errorsPlugin from '../../../../server/src/plugins/errors.ts';

/** What a route answers when its Redis call fails with `err`. */
async function answerTo(err: Error) {
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  app.get('/x', async () => {
    throw err;
  });
  const res = await app.inject('/x');
  await app.close();
  return { status: res.statusCode, body: res.json() as { message: string } };
}

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('the error handler and Redis faults', () => {
  it.each([
    ['a reset connection (read ECONNRESET)', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a script running too long (BUSY)', new ErrorReply('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.')],
    ['a Redis still loading its data (LOADING)', new ErrorReply('LOADING Redis is loading the dataset in memory')],
    ['a full Redis refusing writes (OOM)', new ErrorReply("OOM command not allowed when used memory > 'maxmemory'.")],
    ['a dropped connection, wrapped by a service', new Error('could not record the fix', { cause: new Error('Socket closed unexpectedly') })],
  ])('answers 503, not 500, to %s', async (_name, err) => {
    const { status, body } = await answerTo(err);
    expect(status).toBe(503);
    expect(body.message).toBe('store unavailable, retry later');
  });

  it('still answers 500 to an error reply that is a bug (WRONGTYPE), without its message', async () => {
    const { status, body } = await answerTo(new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(status).toBe(500);
    expect(body.message).toBe('internal error');
  });
});
