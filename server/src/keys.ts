/**
 * Every Redis key Lianfang uses, in one place. All keys start with the configured prefix
 * (default `lf:`), so deployments and test files can share one Redis.
 *
 * Redis Cluster: the prefix carries a hash tag (`lf:` → `{lf}:`, see `taggedPrefix`), so every key
 * of one deployment lives in one slot: any Lua script or MULTI may touch any of them, also keys
 * it builds from the prefix passed in ARGV[1], and several deployments (counties, each its own
 * prefix) spread across the cluster's masters. A new key added to `KEY_LAYOUT` gets the tag by
 * itself; a key name built by hand must start with `keys.prefix` (never the untagged prefix).
 *
 * The layout below is data: `createKeys(prefix)` builds the key names from it (and through it
 * `--- @include "keys"` in the Lua scripts), and `npm run docs:keys` writes it as the table in
 * docs/architecture.md, which a test compares with this file. `<name>` in a pattern is an
 * argument of the key's function (`teamPosition(teamId)`); `k`, `window` and `hour` are numbers.
 */

type RedisType = 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'geo set' | 'pub/sub';

interface KeyEntry {
  /** The property of `createKeys(prefix)` (for a pattern with arguments, a function of them). */
  readonly name: string;
  /** The key without the prefix; `<name>` marks an argument. */
  readonly pattern: string;
  readonly type: RedisType;
  /** What it holds, for the docs (Markdown). */
  readonly holds: string;
  /** Left by an older layout: gathered in `covLegacy` for deletion, not given a name. */
  readonly legacy?: true;
}

export const KEY_LAYOUT = [
  { name: 'schema', pattern: 'meta:schema', type: 'string', holds: 'data layout version' },
  { name: 'demoLock', pattern: 'demo:lock', type: 'string', holds: 'held (SET NX, 60 s) while a process loads the demo' },
  { name: 'simLeader', pattern: 'sim:leader', type: 'string', holds: 'process id of the one process running the simulator (PX lease)' },
  { name: 'simTrickle', pattern: 'sim:trickle', type: 'string', holds: "time up to which the demo's trickle of incidents has been reported" },
  { name: 'simIncidents', pattern: 'sim:incidents', type: 'hash', holds: 'incident id → `<source>:<reporting team>` of incidents the demo made (its simulated dispatcher handles them)' },
  { name: 'simHistory', pattern: 'sim:history', type: 'string', holds: "set once the demo's past disputes were written" },

  { name: 'geoVersion', pattern: 'geo:version', type: 'string', holds: 'counter, bumped by every geography write (caches key on it)' },
  { name: 'county', pattern: 'geo:county', type: 'string', holds: 'JSON Feature: the county outline' },
  { name: 'townships', pattern: 'geo:townships', type: 'hash', holds: 'township id → JSON (township, geometry, label point, colour)' },
  { name: 'villages', pattern: 'geo:villages', type: 'hash', holds: 'village id → JSON Village' },
  { name: 'grids', pattern: 'geo:grids', type: 'hash', holds: 'grid id → JSON Grid (geometry, leader, workers)' },
  { name: 'locations', pattern: 'geo:locations', type: 'hash', holds: 'key location id → JSON KeyLocation' },
  { name: 'organisations', pattern: 'orgs', type: 'hash', holds: 'organisation id → JSON Organisation' },

  { name: 'teams', pattern: 'teams', type: 'hash', holds: 'team id → JSON Team (call sign, agency, organisation, members, grids)' },
  { name: 'teamPosition', pattern: 'team:pos:<teamId>', type: 'hash', holds: 'latest position: lon lat time heading speed accuracy (and batt battAt: last battery report)' },
  { name: 'teamGeo', pattern: 'team:geo', type: 'geo set', holds: 'team id at its latest position (teams near a point)' },
  { name: 'teamTrack', pattern: 'team:track:<teamId>', type: 'stream', holds: 'recent position history (t lon lat hd sp acc q dev), ids on the app clock; entries older than `HISTORY_RECENT_MIN` are compacted into `team:hist` blocks, the rest trimmed to `RETENTION_DAYS`' },
  {
    name: 'teamHistory',
    pattern: 'team:hist:<teamId>:<hour>',
    type: 'string',
    holds: "the team's positions taken in one hour (hour = fix time ÷ 3,600,000), compacted from its track: a deflated track block (geo `history/trackBlock.ts`, about 5 bytes a position); PX = `RETENTION_DAYS` after the hour ends",
  },
  { name: 'historyLease', pattern: 'hist:lease', type: 'string', holds: 'lease (PX) of the process compacting track history (each block is written by a compare-and-set script anyway)' },

  { name: 'users', pattern: 'users', type: 'hash', holds: 'user id → JSON (username, name, role, organisation, team, password hash)' },
  { name: 'usersByName', pattern: 'users:byName', type: 'hash', holds: 'username (lower case) → user id' },
  { name: 'session', pattern: 'session:<tokenHash>', type: 'string', holds: 'JSON `{ userId, createdAt, renewedAt }` under the SHA-256 of the session token; EX = idle lifetime, renewed on use up to the absolute maximum' },
  { name: 'userSessions', pattern: 'user:sessions:<userId>', type: 'zset', holds: "the user's session token hashes → createdAt (a password change or disabling ends them all)" },
  { name: 'loginFailures', pattern: 'login:fail:<username>:<ip>', type: 'string', holds: 'failed sign-ins in a row for this name from this address (EX 1 h)' },
  { name: 'loginLock', pattern: 'login:lock:<username>:<ip>', type: 'string', holds: "when this name's back-off at this address ends (app clock, ms; EX 1 h); other addresses are not held" },
  { name: 'loginAddresses', pattern: 'login:addrs:<username>', type: 'set', holds: 'addresses with failed sign-ins for this name (EX 1 h), so an admin can clear its back-offs' },
  { name: 'loginAddressFailures', pattern: 'login:ipfail:<ip>', type: 'string', holds: 'failed sign-ins from this address for any name (password spraying; EX 1 h)' },
  { name: 'loginAddressLock', pattern: 'login:iplock:<ip>', type: 'string', holds: "when this address's back-off for every name ends (app clock, ms; EX 1 h)" },
  { name: 'rateLimit', pattern: 'rl:<bucket>:<key>:<window>', type: 'string', holds: 'request count in a fixed rate-limit window (PX)' },
  { name: 'audit', pattern: 'audit', type: 'stream', holds: 'who did what, when, from where (at actor role action target ip detail)' },
  { name: 'auditLoginFailures', pattern: 'audit:login_failed', type: 'stream', holds: 'failed sign-ins (same fields as `audit`), capped on their own so spraying cannot push the record of actions out' },

  { name: 'devices', pattern: 'devices', type: 'hash', holds: 'device id → JSON Device (team, member, label, created, revoked, identifier hash); never the identifier' },
  { name: 'deviceAuth', pattern: 'device:auth', type: 'hash', holds: 'SHA-256 of the identifier → `deviceId<TAB>teamId<TAB>revokedAt` (read by the ingest script)' },
  { name: 'deviceSeen', pattern: 'device:seen', type: 'hash', holds: 'device id → server time of its last accepted fix' },
  { name: 'deviceBattery', pattern: 'device:battery', type: 'hash', holds: 'device id → "percent<TAB>server time" of its last battery report' },
  { name: 'teamLate', pattern: 'team:late:<teamId>', type: 'zset', holds: 'stream ids of fixes uploaded > 10 min after they were taken, scored by fix time' },
  { name: 'teamFixes', pattern: 'team:fixes:<teamId>', type: 'zset', holds: '`<deviceId>@<fix time>` of fixes received in the last hour, scored by arrival: a resend is stored once' },
  { name: 'teamStatus', pattern: 'team:status', type: 'hash', holds: 'team id → `status<TAB>since` (off_duty on_patrol responding offline)' },
  { name: 'teamOffDuty', pattern: 'team:offduty', type: 'hash', holds: 'team id → server time the patrol ended its shift (until a later fix)' },
  { name: 'teamsResponding', pattern: 'teams:responding', type: 'set', holds: 'teams with an open incident dispatched to them (kept by the incident scripts; `teams.status.setResponding` by hand)' },
  { name: 'teamDwell', pattern: 'team:dwell:<teamId>', type: 'hash', holds: "location id → `since:t0` or `since:t0<TAB>done`: server receive time and fix time of the first fix inside a location's radius (the visit in progress)" },
  { name: 'checkinId', pattern: 'checkin:id:<teamId>:<id>', type: 'string', holds: 'the check-in recorded under a client-generated id, tab-separated (SET NX; PX = retention)' },
  { name: 'locationCheckins', pattern: 'checkins:loc:<locationId>', type: 'stream', holds: 'check-ins at a location (id t team loc kind lon lat acc dist by at)' },
  { name: 'teamCheckins', pattern: 'checkins:team:<teamId>', type: 'stream', holds: 'check-ins by a team (same fields)' },
  { name: 'checkinQr', pattern: 'checkin:qr', type: 'hash', holds: '`secret` → HMAC key of location QR codes; `gen:<locationId>` → code generation; `at:<locationId>` → when that generation was issued (ms)' },
  { name: 'ingestStats', pattern: 'ingest:stats', type: 'hash', holds: 'counters: `accepted:<source>`, `rejected:<source>:<status>`, `ignored:owntracks`' },

  { name: 'covVersion', pattern: 'cov:version', type: 'string', holds: 'counter, bumped by every change to periods, rules, templates or the holiday calendar (plans key on it)' },
  { name: 'covSeq', pattern: 'cov:seq', type: 'string', holds: 'counter for period, rule and template ids' },
  { name: 'covPeriods', pattern: 'cov:periods', type: 'hash', holds: 'period id → JSON KeyPeriod (重点时段)' },
  { name: 'covRules', pattern: 'cov:rules', type: 'hash', holds: 'rule id → JSON CoverageRule' },
  { name: 'covTemplates', pattern: 'cov:templates', type: 'hash', holds: 'template id → JSON PlanTemplate' },
  { name: 'covCalendar', pattern: 'cov:calendar', type: 'hash', holds: "year → JSON HolidayYear: a year's official holidays and make-up working days as an admin entered them (over the built-in calendar)" },
  { name: 'covLastVisit', pattern: 'cov:last', type: 'hash', holds: 'location id → `agency:time:team;…`: the latest visit of each agency' },
  { name: 'covClassOf', pattern: 'cov:loc', type: 'hash', holds: 'location id → its coverage class `<township>|r<rules that take it in>[.<scoped periods>]`' },
  {
    name: 'covClasses',
    pattern: 'cov:class',
    type: 'hash',
    holds: 'class id → `gapMs,k,since,leadMs,settledAt,township` (gapMs 0: no key period); every location of a class needs the same, so a period starting rewrites a few hundred of these, not 5,000 locations',
  },
  { name: 'covTownshipClasses', pattern: 'cov:township', type: 'hash', holds: 'township id → its class ids, tab-separated (township alerts count over them)' },
  {
    name: 'covClassVisits',
    pattern: 'cov:z:<classId>:<k>',
    type: 'zset',
    holds: "location id → time of its k-th latest distinct-agency visit (0: fewer than k), k = 1..the most any rule asks; a location's deadline is max(that, since) + gap, so “uncovered at t” is one score range",
  },
  { name: 'covDue', pattern: 'cov:due', type: 'zset', holds: 'class id → when one of its locations next changes state (a tick reads only the due classes)' },
  { name: 'covMeta', pattern: 'cov:meta', type: 'string', holds: '`<coverage version>:<geography version>:<k>` the classes were built for' },
  { name: 'covReconcile', pattern: 'cov:reconcile', type: 'string', holds: 'lease (PX) of the process re-reading the check-in streams for missed visits' },
  { name: 'covDemo', pattern: 'cov:demo', type: 'string', holds: 'set once the demo plan was seeded' },
  { name: 'covRequirement', pattern: 'cov:req', type: 'hash', holds: 'old engine (before coverage classes): deleted on the first rebuild', legacy: true },
  { name: 'covState', pattern: 'cov:state', type: 'hash', holds: 'old engine (before coverage classes): deleted on the first rebuild', legacy: true },
  { name: 'covNext', pattern: 'cov:next', type: 'zset', holds: 'old engine (before coverage classes): deleted on the first rebuild', legacy: true },

  { name: 'alerts', pattern: 'alerts', type: 'hash', holds: 'alert id → JSON Alert (告警)' },
  { name: 'alertSeq', pattern: 'alerts:seq', type: 'string', holds: 'counter for alert ids' },
  { name: 'alertsOpen', pattern: 'alerts:open', type: 'zset', holds: 'alert id → raisedAt, while raised or acknowledged' },
  { name: 'alertsClosed', pattern: 'alerts:closed', type: 'zset', holds: 'alert id → resolvedAt (forgotten with the alert after `RETENTION_DAYS`)' },
  { name: 'alertSubjects', pattern: 'alerts:subject', type: 'hash', holds: '`kind:subject` → id of the open alert (one open alert per kind and township, team or incident)' },
  { name: 'alertEscalations', pattern: 'alerts:escalate', type: 'zset', holds: 'alert id → when it escalates to level 2 unless acknowledged first' },
  { name: 'alertLog', pattern: 'alerts:log', type: 'stream', holds: 'every alert transition, one entry per step (`entries`: lines `id kind subject event level state by note at`)' },
  { name: 'webhooks', pattern: 'webhooks', type: 'hash', holds: 'webhook id → JSON webhook (URL, kinds, level, events, format, secret) set by admins' },
  { name: 'webhookDue', pattern: 'webhooks:due', type: 'zset', holds: 'delivery id → when its next attempt is due (a claimed one: when its lease ends)' },
  { name: 'webhookDeliveries', pattern: 'webhooks:deliveries', type: 'hash', holds: 'delivery id → JSON delivery waiting to be sent or retried (event, alert, attempts, last error)' },
  { name: 'webhookLog', pattern: 'webhook:log:<webhookId>', type: 'list', holds: "the webhook's latest deliveries (JSON), newest first, at most 20" },
  { name: 'webhookStatus', pattern: 'webhook:status:<webhookId>', type: 'hash', holds: 'lastStatus lastError lastAt failures delivered' },
  { name: 'displays', pattern: 'displays', type: 'hash', holds: "display id → JSON wall display (显示屏: name, scope, its token's SHA-256, created by and when, revoked when)" },
  { name: 'displayTokens', pattern: 'displays:tokens', type: 'hash', holds: "SHA-256 of a display's token (base64url) → display id, while the display is not revoked" },
  { name: 'displaySeen', pattern: 'displays:seen', type: 'hash', holds: 'display id → when it last read (epoch ms, written at most once a minute per process)' },
  { name: 'alertOutside', pattern: 'alerts:outside', type: 'hash', holds: 'team id → fix time it was first seen outside its grids' },

  { name: 'assignments', pattern: 'assign', type: 'hash', holds: 'assignment id → JSON Assignment (排班: team, grids, key locations, from, to, by)' },
  { name: 'assignmentStarts', pattern: 'assign:start', type: 'zset', holds: 'assignment id → shift start (shifts active at a time: starts within the last 24 h)' },
  { name: 'teamAssignments', pattern: 'assign:team:<teamId>', type: 'zset', holds: 'assignment id → shift start, of one team (the overlap check)' },
  { name: 'assignmentVersion', pattern: 'assign:version', type: 'string', holds: "counter, bumped by every assignment write (the coverage engine's cache of active shifts keys on it)" },

  { name: 'incidents', pattern: 'inc', type: 'hash', holds: 'incident id → JSON incident (事件/警情: state, history, due step, version, retry key)' },
  { name: 'incidentSeq', pattern: 'inc:seq', type: 'string', holds: 'counter for incident ids' },
  { name: 'incidentsByTime', pattern: 'inc:time', type: 'zset', holds: 'incident id → createdAt (lists newest first, time filters, statistics)' },
  { name: 'incidentsOpen', pattern: 'inc:open', type: 'set', holds: 'ids of incidents not resolved' },
  { name: 'incidentsClosed', pattern: 'inc:closed', type: 'zset', holds: 'incident id → resolvedAt (forgotten after `RETENTION_DAYS`)' },
  { name: 'incidentsDue', pattern: 'inc:due', type: 'zset', holds: 'incident id → deadline of its next step, until its late alert was raised' },
  { name: 'incidentRefs', pattern: 'inc:ref', type: 'hash', holds: 'public reference number (查询号) → incident id' },
  {
    name: 'incidentClients',
    pattern: 'inc:client',
    type: 'hash',
    holds: '`<scope>:<client id>` → incident id (scope `p` public, `t:<team>` patrol, `u:<user>`): a retried create answers the same incident',
  },
  { name: 'teamIncidents', pattern: 'inc:team:<teamId>', type: 'set', holds: 'open incidents dispatched to the team (dispatched, accepted, on scene)' },

  { name: 'orders', pattern: 'orders', type: 'hash', holds: 'order id → JSON order (指令: text, place, recipients, sender, time); HSETNX, so a retried id answers the stored one' },
  { name: 'ordersByTime', pattern: 'orders:time', type: 'zset', holds: 'order id → sent time (lists newest first)' },
  { name: 'teamOrders', pattern: 'orders:team:<teamId>', type: 'zset', holds: 'order id → sent time, of the orders sent to the team' },
  { name: 'orderReceipts', pattern: 'order:rcpt:<orderId>', type: 'hash', holds: '`recv:<teamId>` `read:<teamId>` `arr:<teamId>` `late:<teamId>` → when the phone received it, a member read it, the team arrived, it was flagged unread (each set once)' },
  { name: 'ordersUnread', pattern: 'orders:unread', type: 'zset', holds: '`<orderId><TAB><teamId>` → when it is overdue unless read (the order_unread alert is raised first, idempotent per subject; then ZREM is the claim: one process announces it)' },
  { name: 'ordersGoto', pattern: 'orders:goto', type: 'zset', holds: '`<orderId><TAB><teamId>` → sent time, of go-to orders whose team has not arrived yet' },

  { name: 'reportDay', pattern: 'rep:d:<day>', type: 'hash', holds: "`<subject>|<figure>` → the county day's figure (assessment report): subject `t:<teamId>`, `l:<locationId>` (coverage), `w:<townshipId>` (no team); counts, seconds and metres (HINCRBY), `…Max` the largest, `…T` a list of seconds; written by the script that records the fact" },
  { name: 'reportMonth', pattern: 'rep:m:<month>', type: 'hash', holds: 'the same figures summed over a county month (`YYYY-MM`), written beside the day\'s: a year reads 12 of these, not 365 days' },
  { name: 'reportRollUp', pattern: 'rep:rollup', type: 'hash', holds: "`at` → arrival time up to which tracks and check-ins were rolled up into duty, distance and visits; `p:<teamId>` → `time,lon,lat` of the team's last fix counted (the roll-up advances `at` by compare-and-set: one process counts each window)" },
  { name: 'briefing', pattern: 'brief:<day>', type: 'string', holds: "the county day's daily briefing (日报) as produced the next morning (JSON; SET NX: one process stores it and sends it to the webhooks; PX = `RETENTION_DAYS`)" },
  { name: 'briefingClaim', pattern: 'brief:claim:<day>', type: 'string', holds: 'process id compiling the day\'s briefing (SET NX PX 2 min): the others wait for it instead of compiling it too' },
  { name: 'events', pattern: 'ev', type: 'hash', holds: 'major event id → JSON event (重大活动: name, window, perimeter, posts with headcount and teams, coverage period applied, cancelled); HSETNX on the client id' },
  { name: 'eventsByStart', pattern: 'ev:start', type: 'zset', holds: 'major event id → start (lists, the active events a tick looks at)' },
  { name: 'eventLog', pattern: 'ev:log:<eventId>', type: 'stream', holds: "the event's timeline: created, cancelled, check-ins at posts, staffing changes, arrivals, teams leaving and coming back (k p tm s c by t)" },
  { name: 'eventState', pattern: 'ev:state:<eventId>', type: 'hash', holds: '`post:<postId>` → `state<TAB>count<TAB>teams` last recorded; `arr:<postId>:<teamId>` → first arrival; `away:<postId>:<teamId>` → since when an assigned team is away (the post_left alert counts from it)' },
  { name: 'eventLastCheckIn', pattern: 'ev:last:<eventId>', type: 'hash', holds: "team id → `<postId><TAB><time>` of the team's latest check-in at one of the event's posts" },
  { name: 'eventCheckInId', pattern: 'ev:ci:<eventId>:<id>', type: 'string', holds: 'a post check-in under its client-generated id (SET NX, PX = retention): a retry counts once' },
  { name: 'eventAlerts', pattern: 'ev:alerts:<eventId>', type: 'set', holds: "`<postId><TAB><alertId>` of the post_left alerts raised for the event (its board's alerts, the report's count per post)" },

  // Mediation records (server/src/mediation): the rooms; their figures are tally subjects in rep:d / rep:m.
  { name: 'mediationRooms', pattern: 'med:rooms', type: 'hash', holds: "room id → JSON mediation room (调解室/中心: kind, level, name, township, village, trade); its figures are counted in `rep:d` / `rep:m` under subjects `m:<roomId>` and `mw:<townshipId>` (the dispute's township)" },

  { name: 'socketChannel', pattern: 'socket.io', type: 'pub/sub', holds: "prefix of the Socket.IO Redis adapter's channels" },
] as const satisfies readonly KeyEntry[];

type Entry = (typeof KEY_LAYOUT)[number];
/** Arguments the pattern's `<…>` placeholders take, in order. */
type Args<P extends string> = P extends `${string}<${infer Name}>${infer Rest}` ? [Name extends 'k' | 'window' | 'hour' ? number : string, ...Args<Rest>] : [];
type KeyName<P extends string> = Args<P> extends [] ? string : (...args: Args<P>) => string;

export type Keys = { readonly [E in Entry as E extends { legacy: true } ? never : E['name']]: KeyName<E['pattern']> } & {
  readonly prefix: string;
  /** Prefix of the per-class sorted sets: `<prefix><class id>:<k>`. */
  readonly covClassVisitsPrefix: string;
  /** Keys of the engine before coverage classes (deleted on the first rebuild). */
  readonly covLegacy: readonly string[];
};

/**
 * A pattern's key function. Its `length` is the number of arguments, which the Lua key include
 * (`redis/keysLua.ts`) reads, so it is spelled out per arity rather than as a rest parameter.
 */
function keyFunction(prefix: string, pattern: string): string | ((...args: unknown[]) => string) {
  const parts = pattern.split(/<[^>]+>/);
  const join = (args: unknown[]) => prefix + parts.map((part, i) => (i === 0 ? part : String(args[i - 1]) + part)).join('');
  switch (parts.length - 1) {
    case 0:
      return prefix + pattern;
    case 1:
      return (a: unknown) => join([a]);
    case 2:
      return (a: unknown, b: unknown) => join([a, b]);
    case 3:
      return (a: unknown, b: unknown, c: unknown) => join([a, b, c]);
    default:
      throw new Error(`key pattern with too many arguments: ${pattern}`);
  }
}

/** A hash tag: the first `{…}` with something inside (what Redis Cluster hashes instead of the key). */
const HASH_TAG = /\{([^{}]+)\}/;

/**
 * The prefix every key of a deployment starts with: the configured prefix with a hash tag. A
 * prefix that already holds a tag (`city:{county7}:`) is kept; otherwise the tag wraps it up to
 * its trailing separators: `lf:` → `{lf}:`, `county7:` → `{county7}:`.
 */
export function taggedPrefix(prefix: string): string {
  if (HASH_TAG.test(prefix)) return prefix;
  if (/[{}]/.test(prefix)) throw new Error(`REDIS_PREFIX ${JSON.stringify(prefix)} has a brace but no hash tag like {name}`);
  const m = /^(.*?)([:._-]*)$/.exec(prefix)!;
  if (!m[1]) throw new Error(`REDIS_PREFIX ${JSON.stringify(prefix)} needs a name to make its hash tag from`);
  return `{${m[1]}}${m[2]}`;
}

/** The hash tag of a deployment's keys (`lf` for the prefix `lf:`). */
export function hashTagOf(prefix: string): string {
  return HASH_TAG.exec(taggedPrefix(prefix))![1]!;
}

/** Every key of the deployment whose configured prefix is `prefix` (tagged for Redis Cluster). */
export function createKeys(prefix: string): Keys {
  return keysUnder(taggedPrefix(prefix));
}

/** The key names under `prefix` exactly as given (the Lua include builds them from a placeholder). */
export function keysUnder(prefix: string): Keys {
  const keys: Record<string, unknown> = { prefix };
  const legacy: string[] = [];
  for (const entry of KEY_LAYOUT as readonly KeyEntry[]) {
    if (entry.legacy) legacy.push(prefix + entry.pattern);
    else keys[entry.name] = keyFunction(prefix, entry.pattern);
  }
  keys.covClassVisitsPrefix = prefix + KEY_LAYOUT.find((e) => e.name === 'covClassVisits')!.pattern.split('<')[0];
  keys.covLegacy = legacy;
  return keys as Keys;
}

/** The layout as the Markdown table in docs/architecture.md (`npm run docs:keys` writes it). */
export function keyTableMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  // Shown with the default prefix's hash tag, as the keys are named in Redis.
  const pattern = (entry: KeyEntry) => `{lf}:${entry.pattern}${entry.type === 'pub/sub' ? '*' : ''}`;
  const rows = (KEY_LAYOUT as readonly KeyEntry[]).map((e) => `| \`${cell(pattern(e))}\` | ${e.type} | ${cell(e.holds)} |`);
  return ['| key | type | holds |', '| --- | --- | --- |', ...rows].join('\n');
}
