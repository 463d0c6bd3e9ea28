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
    /** Socket.IO Redis adapter channel prefix. */
    socketChannel: `${prefix}socket.io`,
  } as const;
}

export type Keys = ReturnType<typeof createKeys>;
