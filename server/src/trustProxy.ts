/** TRUST_PROXY: which hops in front of the server may tell the client's address. */
import { ConfigError, FALSE, TRUE, type Env } from './configBase.ts';

/** No proxy trusted, a hop count, or proxy addresses, CIDRs and range names. */
export type TrustProxy = false | number | string[];

const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_CIDR = /^[0-9a-f:.]*:[0-9a-f:.]*(\/\d{1,3})?$/i;
/** proxy-addr's names for address ranges (Fastify's trustProxy understands them). */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: empty/false/0 (trust no X-Forwarded-*), a hop count, or a comma-separated list of
 * proxy addresses, CIDRs or proxy-addr range names. `true` is refused: it trusted every hop, so
 * any client could pick its own address with X-Forwarded-For.
 */
export function readTrustProxy(env: Env, name: string): TrustProxy {
  const raw = env[name]?.trim() ?? '';
  const hint = 'must be a hop count (1 for one proxy in front) or a comma-separated list of proxy addresses or CIDRs such as 10.0.0.5,10.1.0.0/16';
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError(name, `${hint}, got "${raw}"`);
    return hops === 0 ? false : hops;
  }
  if (raw === '' || FALSE.includes(raw.toLowerCase())) return false;
  if (TRUE.includes(raw.toLowerCase())) throw new ConfigError(name, `${hint}; "${raw}" would trust every hop and let any client choose its address with X-Forwarded-For`);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    const ok = RANGE_NAMES.includes(entry) || (IPV4_CIDR.test(entry) && entry.split(/[./]/).every((n) => Number(n) <= 255)) || IPV6_CIDR.test(entry);
    if (!ok) throw new ConfigError(name, `${hint}, got "${entry}"`);
  }
  return list;
}

/**
 * TRUST_PROXY as Fastify's `trustProxy` option: its types take no hop count, so a count becomes
 * the function Fastify itself would build from one (hop 0 is the connecting peer).
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

