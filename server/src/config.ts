/**
 * Configuration, read once from the environment at boot and checked against a schema.
 * A bad value stops the boot with a message that names the variable.
 */
import { ConfigError, FALSE, TRUE, type Env } from './configBase.ts';
import { fastifyTrustProxy, readTrustProxy } from './trustProxy.ts';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRODUCTION_LOG_N } from './access/passwords.ts';
import { taggedPrefix } from './keys.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface Config {
  /** HTTP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  redisUrl: string;
  /**
   * Redis Cluster: a few of its nodes (`host:port`), from which the client learns the rest. Empty:
   * the single Redis at `redisUrl`.
   */
  redisClusterNodes: Array<{ host: string; port: number }>;
  /**
   * Redis Sentinel (single-node layout with replicas): the sentinels (`host:port`) that name the
   * master `redisSentinelName`; `redisUrl` then gives only the credentials. Empty: no Sentinel.
   */
  redisSentinels: Array<{ host: string; port: number }>;
  redisSentinelName: string;
  /** The sentinels' own password (`requirepass` in sentinel.conf), if they have one. */
  redisSentinelPassword: string | undefined;
  /**
   * Prefix of every Redis key, so several deployments (or test files) can share one Redis. Keys
   * carry it with a hash tag (`lf:` → `{lf}:`, see keys.ts), so one deployment is one cluster slot.
   */
  redisPrefix: string;
  logLevel: LogLevel;
  /** `auto`: readable lines (pino-pretty) when stdout is a terminal, JSON lines otherwise. */
  logFormat: LogFormat;
  /** Load the generated demo county into an empty store. */
  demo: boolean;
  /** Run the patrol simulator in this process (only one process simulates at a time). */
  simulate: boolean;
  /** How often each simulated team reports, ms. */
  simulateIntervalMs: number;
  /** Demo time-lapse: simulated teams move this many times faster than real life. */
  simulateSpeedup: number;
  /** Positions are coalesced and pushed to maps once per tick, ms. */
  broadcastTickMs: number;
  /** A sign-in ends after this long without use, hours (each use renews it). */
  sessionTtlHours: number;
  /** A sign-in ends this long after it began however much it is used, hours. */
  sessionMaxHours: number;
  /**
   * log2 of scrypt's N for new password hashes. Not read from the environment: production always
   * hashes at 2^17; only tests lower it through `loadConfig`'s overrides, to keep sign-ins fast.
   */
  passwordLogN: number;
  /**
   * Which X-Forwarded-* hops to believe (client IP, https for Secure cookies and HSTS): false
   * (none), a hop count (the last N hops are our proxies), or the proxies' addresses/CIDRs.
   * Never "every hop", which would let a client choose its own address.
   */
  trustProxy: false | number | string[];
  /**
   * With replicas, SOS, check-ins, incidents and orders wait this long at most for one replica to
   * hold them (WAIT) before the client hears ok, ms; 0: never wait.
   */
  redisReplicaWaitMs: number;
  /** A Redis that has not answered for this long counts as down: waiting requests get 503, ms. */
  redisTimeoutMs: number;
  /** At most this many API requests wait on Redis at once; more are answered 503 at once. */
  redisMaxWaiting: number;
  /** Password of the demo accounts (admin, dispatcher, coordinator, leader); generated and printed when unset. */
  demoPassword: string | undefined;
  /**
   * Optional basemap under the county's own layers: an XYZ raster tile URL template (e.g. an
   * intranet tile server), or a local raster PMTiles file that this server serves itself.
   */
  basemapTilesUrl: string | undefined;
  basemapPmtiles: string | undefined;
  /** Coordinate system of that basemap: with gcj02, overlays are shifted to match it on screen. */
  basemapCrs: 'wgs84' | 'gcj02';
  basemapAttribution: string;
  /** First admin for production: created at boot when no user has this name. */
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  /** Folder of the built web app; served at `/`. Empty to serve no web app. */
  webRoot: string;
  version: string;
  /**
   * TLS for the main port (map, API, patrol page): PEM certificate (with its chain) and key files.
   * Both or neither; the OsmAnd listener stays plain HTTP for tracker apps either way.
   */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /**
   * The certificate of the private CA that signed TLS_CERT_FILE (mkcert's rootCA.pem), offered to
   * phones at GET /api/public/ca.crt so they can trust it. Unset: that route answers 404.
   */
  tlsCaFile: string | undefined;
  /** Dedicated OsmAnd/Traccar Client listener (apps are configured with host and port only); 0 picks a free one. */
  osmandPort: number;
  /** Position history and check-ins are kept this many days. */
  retentionDays: number;
  /**
   * Positions received longer ago than this (and at least the check-in offline window, the
   * off-duty time) are compacted from the team's stream into hourly blocks, minutes.
   */
  historyRecentMin: number;
  /** How often each process looks for history to compact, ms; 0 turns compaction off (tests compact by hand). */
  historyCompactTickMs: number;
  /** A team on patrol with no position for this long is shown offline, seconds. */
  offlineAfterS: number;
  /** A team with no position for this long is off duty, seconds. */
  offDutyAfterS: number;
  /** A team inside a key location's radius this long checks in automatically, seconds. */
  checkinDwellS: number;
  /**
   * A check-in sent from a phone that was offline may say it happened up to this long ago, and
   * counts only on positions that reached the server within this long of being taken, minutes.
   */
  checkinOfflineWindowMin: number;
  /** A location's QR code expires this many days after it was issued (0: never; the poster is reprinted). */
  checkinQrRotateDays: number;
  /** A fix timestamped more than this far ahead of the server clock is rejected, seconds. */
  futureToleranceS: number;
  /** A fix with a worse horizontal accuracy is kept but flagged, metres. */
  poorAccuracyM: number;
  /** Position requests one device may make per minute (a fix or a batch alike); more: 429. */
  ingestDevicePerMinute: number;
  /** Batches (requests of more than one fix, each up to 1,000) one device may send per hour; more: 429. */
  ingestDeviceBatchesPerHour: number;
  /** Position requests one address may make per minute, every device behind it together; more: 429. */
  ingestAddressPerMinute: number;
  /* ---------- Coverage engine and alerts ---------- */
  /** Time zone of key periods, daily key hours and holidays (IANA name). */
  timeZone: string;
  /** "Due soon" this share of a rule's gap before its deadline (0–0.9; 0 = never due soon). */
  dueSoonFraction: number;
  /** An alert nobody acknowledged within this many minutes escalates to level 2, which leaders see. */
  escalateAfterMin: number;
  /** How often the coverage scheduler runs, ms; 0 turns it off (tests drive it by hand). */
  coverageTickMs: number;
  /** A team on patrol outside its assigned grids this long raises an alert, seconds. */
  outsideGraceS: number;
  /** How often late incident steps are looked for (incident_late alerts), ms; 0 turns it off (tests sweep by hand). */
  incidentTickMs: number;
  /** An order a team has not read within this many minutes is flagged overdue on the sender's screen. */
  orderUnreadAlertMin: number;
  /** How often unread and go-to orders are checked, ms; 0 turns it off (tests check by hand). */
  orderTickMs: number;
  /** How often a process tries to roll up tracks and check-ins into the report's duty, distance and visits (0 = off). */
  reportRollUpMs: number;
  /** How often major events' posts are looked at (staffing, post_left alerts), ms; 0 turns it off (tests look by hand). */
  eventTickMs: number;
  /** An assigned team away from its post this long after arriving raises a post_left alert, seconds. */
  postLeftGraceS: number;

  /** A team on duty whose phone reports less battery than this, percent, raises a battery_low alert (resolved at 5 more). */
  batteryLowPercent: number;
  /** Seconds the wall shows each stop of its cycle (the county, then townships with something open); 0 holds the county. */
  wallCycleS: number;
  /** Waits before each retry of a webhook delivery, ms; a delivery is tried once plus once per wait. */
  webhookRetryDelaysMs: number[];
  /** A webhook receiver that has not answered in this long counts as failed, ms. */
  webhookTimeoutMs: number;
  /** How often each process looks for webhook deliveries due, ms; 0 turns delivery off. */
  webhookPollMs: number;
  /* ---------- Daily briefing (日报) ---------- */
  /** County local minute of the day (07:30 → 450) after which the previous day's briefing is produced; null (`off`): never by itself. */
  briefingAt: number | null;
  /** How often each process looks whether the briefing is due, ms; 0 turns it off (tests tick by hand). */
  briefingTickMs: number;
  /** The address users open Lianfang at (https://lianfang.example.cn), for links in webhook messages; empty: links are paths. */
  publicUrl: string;
}

export { ConfigError, fastifyTrustProxy };

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/build', import.meta.url));


function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  return value;
}

/** Comma-separated whole numbers (an empty value: none). */
function readIntList(env: Env, name: string, fallback: number[], min: number, max: number): number[] {
  const raw = env[name]?.trim();
  if (raw === undefined) return fallback;
  if (raw === '') return [];
  return raw.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `must be comma-separated whole numbers from ${min} to ${max}, got "${raw}"`);
    return n;
  });
}

function readNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase() as T;
  if (!allowed.includes(v)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return v;
}

function readRedisUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL like redis://host:6379, got "${raw}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(name, `must start with redis:// or rediss://, got "${raw}"`);
  }
  return raw;
}

function readString(env: Env, name: string, fallback: string, pattern?: RegExp, hint?: string): string {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (pattern && !pattern.test(raw)) throw new ConfigError(name, `${hint ?? 'is not valid'}, got "${raw}"`);
  return raw;
}

/** The master's name when REDIS_SENTINEL_NAME is not set (Sentinel's own examples use it). */
export const DEFAULT_SENTINEL_NAME = 'mymaster';

/** `host:port,host:port`: nodes of a Redis Cluster (IPv6 hosts in brackets, `[::1]:7000`). */
export function readNodeList(env: Env, name: string): Config['redisClusterNodes'] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([\w.-]+)):(\d{1,5})$/.exec(part.trim());
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535) throw new ConfigError(name, `must be comma-separated host:port pairs such as 10.0.0.5:7000,10.0.0.6:7000, got "${part.trim()}"`);
    return { host: m[1] ?? m[2]!, port };
  });
}

/** A key prefix: a name for the deployment's hash tag, optionally with the tag itself (`city:{county7}:`). */
function readRedisPrefix(env: Env, name: string, fallback: string): string {
  const value = readString(env, name, fallback, /^[\w:.{}-]{1,64}$/, 'must be 1 to 64 letters, digits and : . _ - (and optionally one {hash tag})');
  try {
    taggedPrefix(value);
  } catch (err) {
    throw new ConfigError(name, `${(err as Error).message.replace(/^REDIS_PREFIX /, '')}`);
  }
  return value;
}

/** An IANA time zone name the runtime knows (Asia/Shanghai, UTC …). */
function readTimeZone(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Shanghai, got "${raw}"`);
  }
  return raw;
}

/** BRIEFING_AT: a county local time HH:MM (minute of the day), or `off`. */
function readBriefingAt(env: Env, name: string, fallback: number): number | null {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (FALSE.includes(raw.toLowerCase())) return null;
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!m) throw new ConfigError(name, `must be a local time HH:MM such as 07:30, or off, got "${raw}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Reads the configuration from `env` (default `process.env`); throws {@link ConfigError} on a bad value. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const config: Config = {
    port: readInt(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST', '0.0.0.0', /^[\w.:-]+$/, 'must be a host name or IP address') || '0.0.0.0',
    redisUrl: readRedisUrl(env, 'REDIS_URL', 'redis://127.0.0.1:6379'),
    redisClusterNodes: readNodeList(env, 'REDIS_CLUSTER_NODES'),
    redisSentinels: readNodeList(env, 'REDIS_SENTINELS'),
    redisSentinelName: readString(env, 'REDIS_SENTINEL_NAME', DEFAULT_SENTINEL_NAME, /^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits and . _ -'),
    redisSentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined,
    redisPrefix: readRedisPrefix(env, 'REDIS_PREFIX', 'lf:'),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: readEnum(env, 'LOG_FORMAT', LOG_FORMATS, 'auto'),
    demo: readBool(env, 'DEMO', false),
    simulate: readBool(env, 'SIMULATE', false),
    simulateIntervalMs: readInt(env, 'SIMULATE_INTERVAL_MS', 2000, 100, 600_000),
    simulateSpeedup: readNumber(env, 'SIMULATE_SPEEDUP', 1, 0.1, 1000),
    broadcastTickMs: readInt(env, 'BROADCAST_TICK_MS', 100, 20, 5000),
    sessionTtlHours: readNumber(env, 'SESSION_TTL_HOURS', 12, 0.01, 24 * 30),
    // A longer idle lifetime than the default maximum raises the default rather than failing the boot.
    sessionMaxHours: readNumber(env, 'SESSION_MAX_HOURS', Math.max(72, readNumber(env, 'SESSION_TTL_HOURS', 12, 0.01, 24 * 30)), 0.01, 24 * 90),
    passwordLogN: PRODUCTION_LOG_N,
    trustProxy: readTrustProxy(env, 'TRUST_PROXY'),
    redisTimeoutMs: readInt(env, 'REDIS_TIMEOUT_MS', 3000, 100, 60_000),
    redisMaxWaiting: readInt(env, 'REDIS_MAX_WAITING', 1000, 1, 1_000_000),
    redisReplicaWaitMs: readInt(env, 'REDIS_REPLICA_WAIT_MS', 200, 0, 10_000),
    demoPassword: env.DEMO_PASSWORD ? readString(env, 'DEMO_PASSWORD', '', /^.{8,128}$/, 'must be 8 to 128 characters') : undefined,
    basemapTilesUrl: env.BASEMAP_TILES_URL ? readString(env, 'BASEMAP_TILES_URL', '', /^(https?:\/\/|\/).*\{z\}.*\{x\}.*\{y\}/, 'must be a tile URL template with {z}, {x} and {y}') : undefined,
    basemapPmtiles: env.BASEMAP_PMTILES ? readString(env, 'BASEMAP_PMTILES', '', /\.pmtiles$/, 'must be the path of a .pmtiles file') : undefined,
    basemapCrs: readEnum(env, 'BASEMAP_CRS', ['wgs84', 'gcj02'] as const, 'wgs84'),
    basemapAttribution: readString(env, 'BASEMAP_ATTRIBUTION', ''),
    adminUsername: env.ADMIN_USERNAME ? readString(env, 'ADMIN_USERNAME', '', /^[A-Za-z0-9_.@-]{2,64}$/, 'may hold 2–64 letters, digits or _ . @ -') : undefined,
    adminPassword: env.ADMIN_PASSWORD ? readString(env, 'ADMIN_PASSWORD', '', /^.{8,128}$/, 'must be 8 to 128 characters') : undefined,
    webRoot: readString(env, 'WEB_ROOT', DEFAULT_WEB_ROOT),
    version: '0.1.0',
    tlsCertFile: env.TLS_CERT_FILE?.trim() || undefined,
    tlsKeyFile: env.TLS_KEY_FILE?.trim() || undefined,
    tlsCaFile: env.TLS_CA_FILE?.trim() || undefined,
    osmandPort: readInt(env, 'OSMAND_PORT', 5055, 0, 65535),
    retentionDays: readInt(env, 'RETENTION_DAYS', 90, 1, 3650),
    historyRecentMin: readInt(env, 'HISTORY_RECENT_MIN', 120, 10, 7 * 24 * 60),
    historyCompactTickMs: readInt(env, 'HISTORY_COMPACT_TICK_MS', 60_000, 0, 3_600_000),
    offlineAfterS: readInt(env, 'OFFLINE_AFTER_S', 180, 10, 86_400),
    offDutyAfterS: readInt(env, 'OFF_DUTY_AFTER_S', 3600, 60, 7 * 86_400),
    checkinDwellS: readInt(env, 'CHECKIN_DWELL_S', 120, 0, 86_400),
    checkinOfflineWindowMin: readInt(env, 'CHECKIN_OFFLINE_WINDOW_MIN', 30, 1, 24 * 60),
    checkinQrRotateDays: readInt(env, 'CHECKIN_QR_ROTATE_DAYS', 0, 0, 3650),
    futureToleranceS: readInt(env, 'FUTURE_TOLERANCE_S', 120, 0, 86_400),
    poorAccuracyM: readInt(env, 'POOR_ACCURACY_M', 100, 1, 100_000),
    ingestDevicePerMinute: readInt(env, 'INGEST_DEVICE_PER_MINUTE', 300, 1, 10_000_000),
    ingestDeviceBatchesPerHour: readInt(env, 'INGEST_DEVICE_BATCHES_PER_HOUR', 120, 1, 10_000_000),
    ingestAddressPerMinute: readInt(env, 'INGEST_ADDRESS_PER_MINUTE', 12_000, 1, 100_000_000),
    timeZone: readTimeZone(env, 'TIMEZONE', 'Asia/Shanghai'),
    dueSoonFraction: readNumber(env, 'DUE_SOON_FRACTION', 0.2, 0, 0.9),
    escalateAfterMin: readInt(env, 'ESCALATE_AFTER_MIN', 10, 1, 1440),
    coverageTickMs: readInt(env, 'COVERAGE_TICK_MS', 1000, 0, 60_000),
    outsideGraceS: readInt(env, 'OUTSIDE_GRACE_S', 300, 0, 86_400),
    incidentTickMs: readInt(env, 'INCIDENT_TICK_MS', 1000, 0, 60_000),
    orderUnreadAlertMin: readInt(env, 'ORDER_UNREAD_ALERT_MIN', 5, 1, 1440),
    orderTickMs: readInt(env, 'ORDER_TICK_MS', 5000, 0, 60_000),
    reportRollUpMs: readInt(env, 'REPORT_ROLLUP_MS', 60_000, 0, 3_600_000),
    eventTickMs: readInt(env, 'EVENT_TICK_MS', 5000, 0, 60_000),
    postLeftGraceS: readInt(env, 'POST_LEFT_GRACE_S', 300, 0, 86_400),
    batteryLowPercent: readInt(env, 'BATTERY_LOW_PERCENT', 20, 1, 95),
    wallCycleS: readInt(env, 'WALL_CYCLE_S', 20, 0, 3600),
    webhookRetryDelaysMs: readIntList(env, 'WEBHOOK_RETRY_DELAYS_MS', [1000, 5000, 30_000], 1, 86_400_000),
    webhookTimeoutMs: readInt(env, 'WEBHOOK_TIMEOUT_MS', 5000, 100, 120_000),
    webhookPollMs: readInt(env, 'WEBHOOK_POLL_MS', 1000, 0, 60_000),
    briefingAt: readBriefingAt(env, 'BRIEFING_AT', 7 * 60 + 30),
    briefingTickMs: readInt(env, 'BRIEFING_TICK_MS', 60_000, 0, 3_600_000),
    publicUrl: readString(env, 'PUBLIC_URL', '', /^(https?:\/\/[^\s/]+(\/[^\s]*)?)?$/, 'must be an address like https://lianfang.example.cn').replace(/\/+$/, ''),

  };
  if (config.basemapPmtiles && !existsSync(config.basemapPmtiles)) throw new ConfigError('BASEMAP_PMTILES', `names a file that does not exist: "${config.basemapPmtiles}"`);
  if (config.basemapPmtiles && config.basemapTilesUrl) throw new ConfigError('BASEMAP_PMTILES', 'and BASEMAP_TILES_URL cannot both be set');
  for (const [variable, file] of [['TLS_CERT_FILE', config.tlsCertFile], ['TLS_KEY_FILE', config.tlsKeyFile], ['TLS_CA_FILE', config.tlsCaFile]] as const) {
    if (file && !existsSync(file)) throw new ConfigError(variable, `names a file that does not exist: "${file}"`);
  }
  if (config.tlsCertFile && !config.tlsKeyFile) throw new ConfigError('TLS_KEY_FILE', 'must be set with TLS_CERT_FILE');
  if (config.tlsKeyFile && !config.tlsCertFile) throw new ConfigError('TLS_CERT_FILE', 'must be set with TLS_KEY_FILE');
  if (config.adminUsername && !config.adminPassword) throw new ConfigError('ADMIN_PASSWORD', 'must be set with ADMIN_USERNAME');
  const merged = { ...config, ...overrides };
  if (merged.redisSentinels.length > 0 && merged.redisClusterNodes.length > 0) throw new ConfigError('REDIS_SENTINELS', 'and REDIS_CLUSTER_NODES cannot both be set (a cluster fails over by itself)');
  // The sentinel relay (redis/sentinel.ts) pipes plain TCP on loopback: TLS would be checked against 127.0.0.1.
  if (merged.redisSentinels.length > 0 && merged.redisUrl.startsWith('rediss:')) throw new ConfigError('REDIS_URL', 'cannot be rediss:// with REDIS_SENTINELS (TLS to Redis through Sentinel is not supported)');
  // A server on a free port (tests, a second instance) must not grab the well-known OsmAnd port either.
  if (merged.port === 0 && overrides.osmandPort === undefined && !env.OSMAND_PORT) merged.osmandPort = 0;
  if (merged.sessionMaxHours < merged.sessionTtlHours) throw new ConfigError('SESSION_MAX_HOURS', `must be at least SESSION_TTL_HOURS (${merged.sessionTtlHours})`);
  if (merged.offDutyAfterS <= merged.offlineAfterS) throw new ConfigError('OFF_DUTY_AFTER_S', `must be longer than OFFLINE_AFTER_S (${merged.offlineAfterS})`);
  return merged;
}
