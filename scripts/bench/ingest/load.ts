/**
 * The ingest benchmark's load generator: a pipelining HTTP/1.1 client on raw sockets, so the
 * server, not the client, is what is measured.
 */
import { connect as tcpConnect, type Socket } from 'node:net';

export interface LoadResult {
  completed: number;
  statuses: Map<number, number>;
  elapsedMs: number;
}

/**
 * Keeps `connections` keep-alive connections, each with up to `depth` pipelined requests in flight,
 * for `durationMs`; or, with `rate`, sends that many requests a second spread over the connections.
 */
export async function load(options: {
  port: number;
  connections: number;
  depth: number;
  durationMs: number;
  rate?: number;
  request: (i: number) => { bytes: Buffer; tag?: unknown };
  onResponse?: (status: number, tag: unknown, body: Buffer) => void;
}): Promise<LoadResult> {
  const statuses = new Map<number, number>();
  let completed = 0;
  let issued = 0;
  let stopping = false;
  const started = performance.now();
  type Conn = { socket: Socket; inflight: unknown[]; buffer: Buffer<ArrayBufferLike> };
  const sockets: Conn[] = [];

  const send = (c: (typeof sockets)[number]) => {
    const { bytes, tag } = options.request(issued++);
    c.inflight.push(tag);
    c.socket.write(bytes);
  };

  const parse = (c: (typeof sockets)[number]) => {
    for (;;) {
      const buf = c.buffer;
      const headerEnd = buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = buf.subarray(0, headerEnd).toString('latin1');
      const status = Number(head.slice(9, 12));
      const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let bodyStart = headerEnd + 4;
      let body: Buffer;
      if (lengthMatch) {
        const length = Number(lengthMatch[1]);
        if (buf.length < bodyStart + length) return;
        body = buf.subarray(bodyStart, bodyStart + length);
        c.buffer = buf.subarray(bodyStart + length);
      } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const chunks: Buffer[] = [];
        let at = bodyStart;
        for (;;) {
          const lineEnd = buf.indexOf('\r\n', at);
          if (lineEnd < 0) return;
          const size = parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
          if (buf.length < lineEnd + 2 + size + 2) return;
          chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
          at = lineEnd + 2 + size + 2;
          if (size === 0) break;
        }
        body = Buffer.concat(chunks);
        c.buffer = buf.subarray(at);
        bodyStart = at;
      } else {
        body = Buffer.alloc(0);
        c.buffer = buf.subarray(bodyStart);
      }
      const tag = c.inflight.shift();
      completed++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      options.onResponse?.(status, tag, body);
      if (!stopping && options.rate === undefined) send(c);
    }
  };

  await Promise.all(
    Array.from({ length: options.connections }, () =>
      new Promise<void>((resolve, reject) => {
        const socket = tcpConnect({ port: options.port, host: '127.0.0.1', noDelay: true }, () => resolve());
        socket.on('error', reject);
        const c: Conn = { socket, inflight: [], buffer: Buffer.alloc(0) };
        socket.on('data', (chunk: Buffer) => {
          c.buffer = c.buffer.length ? Buffer.concat([c.buffer, chunk]) : chunk;
          parse(c);
        });
        sockets.push(c);
      }),
    ),
  );

  let ticker: NodeJS.Timeout | undefined;
  if (options.rate === undefined) {
    for (const c of sockets) for (let d = 0; d < options.depth; d++) send(c);
  } else {
    // Paced: every 5 ms, the requests due by now, round-robin over the connections.
    let next = 0;
    ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * options.rate!);
      while (issued < due) send(sockets[next++ % sockets.length]!);
    }, 5);
  }
  await new Promise((r) => setTimeout(r, options.durationMs));
  stopping = true;
  if (ticker) clearInterval(ticker);
  const elapsedMs = performance.now() - started;
  const counted = completed;
  // Let what is in flight drain, so the next phase starts on an idle server.
  const drainUntil = performance.now() + 3000;
  while (sockets.some((c) => c.inflight.length > 0) && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
  for (const c of sockets) c.socket.destroy();
  return { completed: counted, statuses, elapsedMs };
}

export const post = (port: number, path: string, json: string) =>
  Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
export const get = (port: number, path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
