/**
 * Every Redis key Lianfang uses, in one place. All keys start with the configured prefix
 * (default `lf:`), so deployments and test files can share one Redis.
 *
 * Layout (prefix omitted):
 *   meta:schema                 string  data layout version
 *   demo:lock                   string  SET NX while one process loads the demo data
 *   sim:leader                  string  process id of the one process running the simulator (PX expiry)
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
 *   team:status                 hash    team id → "status<TAB>since" (off_duty on_patrol responding offline)
 *   team:offduty                hash    team id → server time the patrol ended its shift (until a newer fix)
 *   teams:responding            set     teams dispatched to an incident (set by dispatch)
 *   team:dwell:<teamId>         hash    location id → "since" or "since<TAB>done": time inside a location's radius
 *   checkin:id:<teamId>:<id>    string  the check-in recorded under a client-generated id (SET NX; PX = retention)
 *   checkins:loc:<locationId>   stream  check-ins at a location (t team loc kind lon lat acc dist by id)
 *   checkins:team:<teamId>      stream  check-ins by a team (same fields)
 *   checkin:qr                  hash    "secret" → HMAC key of location QR codes; location id → code generation
 *   ingest:stats                hash    counters: accepted, rejected:<source>:<status>
 */
export function createKeys(prefix: string) {
  return {
    prefix,
    schema: `${prefix}meta:schema`,
    demoLock: `${prefix}demo:lock`,
    simLeader: `${prefix}sim:leader`,
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
    teamStatus: `${prefix}team:status`,
    teamOffDuty: `${prefix}team:offduty`,
    teamsResponding: `${prefix}teams:responding`,
    teamDwell: (teamId: string) => `${prefix}team:dwell:${teamId}`,
    checkinId: (teamId: string, id: string) => `${prefix}checkin:id:${teamId}:${id}`,
    locationCheckins: (locationId: string) => `${prefix}checkins:loc:${locationId}`,
    teamCheckins: (teamId: string) => `${prefix}checkins:team:${teamId}`,
    checkinQr: `${prefix}checkin:qr`,
    ingestStats: `${prefix}ingest:stats`,
    /** Socket.IO Redis adapter channel prefix. */
    socketChannel: `${prefix}socket.io`,
  } as const;
}

export type Keys = ReturnType<typeof createKeys>;
