/**
 * HTTP over a real socket bound to a chosen loopback address (127.0.0.2, 127.0.0.3 …), so the
 * server sees requests from different clients without trusting any forwarded header.
 */
import { request } from 'node:http';

export interface AddressedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function fromAddress(localAddress: string) {
  return (url: string, init: { method?: string; body?: unknown; cookie?: string } = {}): Promise<AddressedResponse> =>
    new Promise((resolve, reject) => {
      const body = init.body === undefined ? undefined : JSON.stringify(init.body);
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (init.cookie) headers.cookie = init.cookie;
      const req = request(url, { method: init.method ?? 'GET', localAddress, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** POST /api/auth/login from `localAddress`. */
export function loginFrom(localAddress: string, baseUrl: string, username: string, password: string) {
  return fromAddress(localAddress)(`${baseUrl}/api/auth/login`, { method: 'POST', body: { username, password } });
}
