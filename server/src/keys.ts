/**
 * Every Redis key Lianfang uses, in one place. All keys start with the configured prefix
 * (default `lf:`), so deployments and test files can share one Redis.
 *
 * Layout (prefix omitted):
 *   meta:schema                 string  data layout version
 *   demo:lock                   string  SET NX while one process loads the demo data
 *   sim:leader                  string  process id of the one process running the simulator (PX expiry)
 *   sim:trickle                 string  time up to which the demo's trickle of incidents has been reported
 *   sim:incidents               hash    incident id → "<source>:<reporting team id>" of incidents the demo made (its dispatcher handles them)
 *   sim:history                 string  set once the demo's past disputes were written
 *
 *   geo:version                 string  counter, bumped on every geography write (caches key on it)
 *   geo:county                  string  JSON Feature: the county outline
 *   geo:townships               hash    township id → JSON (Township + geometry, label, colour)
 *   geo:villages                hash    village id → JSON Village
 *   geo:grids                   hash    grid id → JSON Grid (with leader and workers)
 *   geo:locations               hash    location id → JSON KeyLocation
 *   orgs                        hash    organisation id → JSON Organisation
 *
 *   teams                       hash    team id → JSON Team (call sign, agency, members, grids)
 *   team:pos:<teamId>           hash    latest position: lon lat time heading speed accuracy
 *   team:geo                    geo set team id at its latest position (teams near a point)
 *   team:track:<teamId>         stream  position history (t lon lat heading speed accuracy), trimmed by time
 *
 *   users                       hash    user id → JSON (username, name, role, organisation, team, password hash)
 *   users:byName                hash    username (lower case) → user id
 *   session:<sha256(token)>     string  JSON { userId, createdAt }; EX = session lifetime
 *   login:fail:<username>       string  failed logins in a row (EX 1 h)
 *   login:lock:<username>       string  set while the account is backing off (PX)
 *   rl:<bucket>:<key>:<window>  string  request count in a fixed rate-limit window (PX)
 *   audit                       stream  who did what, when, from where (at actor role action target ip detail)
 *
 *   devices                     hash    device id → JSON Device (team, member, label, created, revoked); never the identifier
 *   device:auth                 hash    sha256(identifier) → "deviceId<TAB>teamId<TAB>revokedAt" (read by the ingest script)
 *   device:seen                 hash    device id → server time of its last accepted fix
 *   team:late:<teamId>          zset    stream ids of fixes uploaded long after they were taken, scored by fix time
 *   team:fixes:<teamId>         zset    <deviceId>@<fix time> of fixes received in the last hour, scored by arrival: a resend is stored once
 *   team:status                 hash    team id → "status<TAB>since" (off_duty on_patrol responding offline)
 *   team:offduty                hash    team id → server time the patrol ended its shift (until a newer fix)
 *   teams:responding            set     teams dispatched to an incident (set by dispatch)
 *   team:dwell:<teamId>         hash    location id → "since" or "since<TAB>done": time inside a location's radius
 *   checkin:id:<teamId>:<id>    string  the check-in recorded under a client-generated id (SET NX; PX = retention)
 *   checkins:loc:<locationId>   stream  check-ins at a location (t team loc kind lon lat acc dist by id)
 *   checkins:team:<teamId>      stream  check-ins by a team (same fields)
 *   checkin:qr                  hash    "secret" → HMAC key of location QR codes; "gen:<locationId>" → code generation
 *   ingest:stats                hash    counters: accepted:<source>, rejected:<source>:<status>, ignored:owntracks
 *
 *   cov:version                 string  counter, bumped by every change to periods, rules or templates (plans key on it)
 *   cov:seq                     string  counter for period, rule and template ids
 *   cov:periods                 hash    period id → JSON KeyPeriod (重点时段)
 *   cov:rules                   hash    rule id → JSON CoverageRule
 *   cov:templates               hash    template id → JSON PlanTemplate
 *   cov:last                    hash    location id → "agency:time:team;…": the latest visit of each agency
 *   cov:loc                     hash    location id → its coverage class "<township>|<category>.<priority>[.<scoped periods>]"
 *   cov:class                   hash    class id → "gapMs,minAgencies,since,leadMs,settledAt,township" (gapMs 0: no key period);
 *                                       every location of a class needs the same, so a period starting rewrites a few hundred of these, not 5,000 locations
 *   cov:township                hash    township id → its class ids, tab-separated (township alerts count over them)
 *   cov:z:<class>:<k>           zset    location id → time of its k-th latest distinct-agency visit (0: fewer than k), k = 1..the most any rule asks;
 *                                       a location's deadline is max(that, since) + gap, so "uncovered at t" is one score range
 *   cov:due                     zset    class id → when one of its locations next changes state (a tick reads only the due classes)
 *   cov:meta                    string  "<coverage version>:<geography version>:<k>" the classes were built for
 *   cov:reconcile               string  lease (PX) of the process re-reading check-in streams for missed visits
 *   cov:demo                    string  set once the demo plan was seeded
 *   alerts                      hash    alert id → JSON Alert (告警)
 *   alerts:seq                  string  counter for alert ids
 *   alerts:open                 zset    alert id → raisedAt, while raised or acknowledged
 *   alerts:closed               zset    alert id → resolvedAt (trimmed with the alert after the retention)
 *   alerts:subject              hash    "kind:subject" → id of the open alert (one open alert per kind and township, team or incident)
 *   alerts:escalate             zset    alert id → when it escalates to level 2 unless acknowledged first
 *   alerts:log                  stream  every alert transition, for the record (id kind event level state by note at)
 *   alerts:outside              hash    team id → fix time it was first seen outside its grids
 *
 *   assign                      hash    assignment id → JSON Assignment (排班: a team on grids and key locations for a shift)
 *   assign:start                zset    assignment id → shift start (shifts active at a time)
 *   assign:team:<teamId>        zset    assignment id → shift start, of one team (overlap check)
 *   assign:version              string  counter, bumped by every assignment write (the coverage engine's cache keys on it)
 *
 *   inc                         hash    incident id → JSON incident (事件/警情: state, history, due step, version)
 *   inc:seq                     string  counter for incident ids
 *   inc:time                    zset    incident id → createdAt (newest first lists, time filters)
 *   inc:open                    set     ids of incidents not resolved
 *   inc:closed                  zset    incident id → resolvedAt (forgotten after RETENTION_DAYS)
 *   inc:due                     zset    incident id → deadline of its next step, until a late alert was raised for it
 *   inc:ref                     hash    public reference number (查询号) → incident id
 *   inc:client                  hash    "<scope>:<client id>" → incident id: a retried create answers the same incident
 *   inc:team:<teamId>           set     open incidents dispatched to the team (dispatched, accepted, on scene)
 */
export function createKeys(prefix: string) {
  return {
    prefix,
    schema: `${prefix}meta:schema`,
    demoLock: `${prefix}demo:lock`,
    simLeader: `${prefix}sim:leader`,
    simTrickle: `${prefix}sim:trickle`,
    simIncidents: `${prefix}sim:incidents`,
    simHistory: `${prefix}sim:history`,
    geoVersion: `${prefix}geo:version`,
    county: `${prefix}geo:county`,
    townships: `${prefix}geo:townships`,
    villages: `${prefix}geo:villages`,
    grids: `${prefix}geo:grids`,
    locations: `${prefix}geo:locations`,
    organisations: `${prefix}orgs`,
    teams: `${prefix}teams`,
    teamPosition: (teamId: string) => `${prefix}team:pos:${teamId}`,
    teamGeo: `${prefix}team:geo`,
    teamTrack: (teamId: string) => `${prefix}team:track:${teamId}`,
    users: `${prefix}users`,
    usersByName: `${prefix}users:byName`,
    session: (tokenHash: string) => `${prefix}session:${tokenHash}`,
    loginFailures: (username: string) => `${prefix}login:fail:${username}`,
    loginLock: (username: string) => `${prefix}login:lock:${username}`,
    rateLimit: (bucket: string, key: string, window: number) => `${prefix}rl:${bucket}:${key}:${window}`,
    audit: `${prefix}audit`,
    devices: `${prefix}devices`,
    deviceAuth: `${prefix}device:auth`,
    deviceSeen: `${prefix}device:seen`,
    teamLate: (teamId: string) => `${prefix}team:late:${teamId}`,
    teamFixes: (teamId: string) => `${prefix}team:fixes:${teamId}`,
    teamStatus: `${prefix}team:status`,
    teamOffDuty: `${prefix}team:offduty`,
    teamsResponding: `${prefix}teams:responding`,
    teamDwell: (teamId: string) => `${prefix}team:dwell:${teamId}`,
    checkinId: (teamId: string, id: string) => `${prefix}checkin:id:${teamId}:${id}`,
    locationCheckins: (locationId: string) => `${prefix}checkins:loc:${locationId}`,
    teamCheckins: (teamId: string) => `${prefix}checkins:team:${teamId}`,
    checkinQr: `${prefix}checkin:qr`,
    ingestStats: `${prefix}ingest:stats`,
    covVersion: `${prefix}cov:version`,
    covSeq: `${prefix}cov:seq`,
    covPeriods: `${prefix}cov:periods`,
    covRules: `${prefix}cov:rules`,
    covTemplates: `${prefix}cov:templates`,
    covLastVisit: `${prefix}cov:last`,
    covClassOf: `${prefix}cov:loc`,
    covClasses: `${prefix}cov:class`,
    covTownshipClasses: `${prefix}cov:township`,
    covDue: `${prefix}cov:due`,
    covMeta: `${prefix}cov:meta`,
    /** Prefix of the per-class sorted sets: `<prefix><class id>:<k>`. */
    covClassVisitsPrefix: `${prefix}cov:z:`,
    covClassVisits: (classId: string, k: number) => `${prefix}cov:z:${classId}:${k}`,
    /** Keys of the engine before coverage classes (deleted on the first rebuild). */
    covLegacy: [`${prefix}cov:req`, `${prefix}cov:state`, `${prefix}cov:next`],
    covReconcile: `${prefix}cov:reconcile`,
    covDemo: `${prefix}cov:demo`,
    alerts: `${prefix}alerts`,
    alertSeq: `${prefix}alerts:seq`,
    alertsOpen: `${prefix}alerts:open`,
    alertsClosed: `${prefix}alerts:closed`,
    alertSubjects: `${prefix}alerts:subject`,
    alertEscalations: `${prefix}alerts:escalate`,
    alertLog: `${prefix}alerts:log`,
    alertOutside: `${prefix}alerts:outside`,
    assignments: `${prefix}assign`,
    assignmentStarts: `${prefix}assign:start`,
    teamAssignments: (teamId: string) => `${prefix}assign:team:${teamId}`,
    assignmentVersion: `${prefix}assign:version`,
    incidents: `${prefix}inc`,
    incidentSeq: `${prefix}inc:seq`,
    incidentsByTime: `${prefix}inc:time`,
    incidentsOpen: `${prefix}inc:open`,
    incidentsClosed: `${prefix}inc:closed`,
    incidentsDue: `${prefix}inc:due`,
    incidentRefs: `${prefix}inc:ref`,
    incidentClients: `${prefix}inc:client`,
    teamIncidents: (teamId: string) => `${prefix}inc:team:${teamId}`,
    /** Socket.IO Redis adapter channel prefix. */
    socketChannel: `${prefix}socket.io`,
  } as const;
}

export type Keys = ReturnType<typeof createKeys>;
