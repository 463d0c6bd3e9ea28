/**
 * The one loader of Lianfang's Redis scripts (after bullmq's script loader). A script is a
 * `.lua` file beside the domain that owns it, opening with a header that names its KEYS, ARGV
 * and reply. Shared pieces are includes: a line `--- @include "name"` is replaced by `name.lua`
 * (looked up beside the including file, then in `server/src/redis/lua/`), once per script
 * however many files include it. `--- @include "keys"` is generated from `keys.ts` (see
 * `keysLua.ts`), so key names are written in one place.
 *
 * Key convention, for every script: KEYS are the keys the caller can name before the call
 * (from `keys.ts`), in the order the header lists them; a script that must name keys from ids
 * it reads (a team's track, a class's sorted set) includes `keys` and gets the deployment's key
 * prefix as ARGV[1].
 *
 * Scripts run by SHA (EVALSHA) and fall back to the source (EVAL, which also caches it) after
 * NOSCRIPT, so a Redis restart or failover heals itself and no start-up step loads anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClientType, RedisClusterType } from 'redis';
import { keysLua } from './keysLua.ts';

/** Anything that can EVAL: a node-redis client or cluster client (routed by KEYS[1], so every call passes at least one key). */
export type ScriptRunner = Pick<RedisClientType, 'evalSha' | 'eval'> | Pick<RedisClusterType, 'evalSha' | 'eval'>;

const SHARED_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');
const INCLUDE = /^--- @include "([\w./-]+)"\s*$/;

/** A loaded script: its assembled source, its SHA and a `run`. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
  /** Runs the script: EVALSHA, or EVAL when Redis does not know it yet. */
  run(redis: ScriptRunner, keys: string[], args: Array<string | number | Buffer>): Promise<unknown>;
}

function resolveInclude(name: string, fromDir: string): string {
  if (name === 'keys') return 'keys';
  for (const dir of [fromDir, SHARED_DIR]) {
    const path = join(dir, `${name}.lua`);
    if (existsSync(path)) return path;
  }
  throw new Error(`Lua include "${name}" not found beside ${fromDir} nor in ${SHARED_DIR}`);
}

/**
 * The source of a script with its includes spliced in. Each include is wrapped in luacheck
 * directives so a script is not warned about the include's helpers it does not use, while its
 * own body is linted in full.
 */
export function assemble(path: string): string {
  const KEYS_MARK = '\u0000keys\u0000';
  const text = splice(path, new Set(), KEYS_MARK);
  // The generated include goes in last, once the whole text shows which keys it names.
  return text.replace(KEYS_MARK, () => keysLua(text));
}

function splice(path: string, seen: Set<string>, keysMark: string): string {
  const out: string[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const line of lines) {
    const m = INCLUDE.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const target = resolveInclude(m[1]!, dirname(path));
    if (seen.has(target)) continue;
    seen.add(target);
    const body = target === 'keys' ? keysMark : splice(target, seen, keysMark);
    out.push(`-- luacheck: push ignore 21[123] 231 311`, `-- >>> include ${target === 'keys' ? 'keys (generated from keys.ts)' : basename(target)}`, body.trimEnd(), `-- <<< include`, `-- luacheck: pop`);
  }
  return out.join('\n');
}

/** Every script loaded so far (the Lua lint and tests walk them). */
export const loadedScripts = new Map<string, LuaScript>();

/**
 * Loads `file` (a URL or path of a `.lua` file, usually `new URL('./lua/x.lua', import.meta.url)`).
 * Reads it once, at import time: a missing include fails the boot, not the first request.
 */
export function loadScript(file: URL | string): LuaScript {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const existing = loadedScripts.get(path);
  if (existing) return existing;
  const source = assemble(path);
  const sha = createHash('sha1').update(source).digest('hex');
  // Ingest passes thousands of strings a batch: convert only when a number is among them, not copy every time.
  // Binary arguments (history blocks) go as they are.
  const options = (keys: string[], args: Array<string | number | Buffer>) => ({
    keys,
    arguments: args.every((a) => typeof a !== 'number') ? (args as Array<string | Buffer>) : args.map((a) => (typeof a === 'number' ? String(a) : a)),
  });
  const script: LuaScript = {
    name: basename(path, '.lua'),
    source,
    sha,
    async run(redis, keys, args) {
      const opts = options(keys, args);
      try {
        return await redis.evalSha(sha, opts);
      } catch (err) {
        if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
        return redis.eval(source, opts);
      }
    },
  };
  loadedScripts.set(path, script);
  return script;
}
