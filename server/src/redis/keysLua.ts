/**
 * The Lua side of `keys.ts`: `--- @include "keys"` gives a script a table `key` whose entries
 * name the same keys as `createKeys`, built from the deployment's prefix in ARGV[1]. Generated
 * from `createKeys` itself, so the layout is written once. ARGV[1] is `keys.prefix`, which holds
 * the deployment's hash tag: every key built here is in the slot of the script's KEYS (Redis
 * Cluster lets a script touch undeclared keys of its own slot).
 *
 *   key.teams              → ARGV[1] .. 'teams'
 *   key.teamTrack(teamId)  → ARGV[1] .. 'team:track:' .. teamId
 */
import { keysUnder } from '../keys.ts';

const PREFIX = '\u0000P\u0000';
const ARG = (i: number) => `\u0001${i}\u0001`;
const luaString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** One key name as a Lua expression: literal parts joined with the prefix and the arguments. */
function expression(template: string, arity: number): string {
  const parts: string[] = [];
  const re = /\u0000P\u0000|\u0001(\d+)\u0001/g;
  let at = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > at) parts.push(luaString(template.slice(at, m.index)));
    parts.push(m[1] === undefined ? 'P' : `a${m[1]}`);
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push(luaString(template.slice(at)));
  if (arity > 0 && !parts.includes('P')) throw new Error(`key without prefix: ${template}`);
  return parts.join(' .. ');
}

/**
 * The include for a script whose assembled text is `source`: only the keys it names (`key.x`),
 * so a hot script does not build ninety names per call to use three.
 */
export function keysLua(source: string): string {
  const used = new Set([...source.matchAll(/\bkey\.(\w+)/g)].map((m) => m[1]!));
  const keys = keysUnder(PREFIX) as Record<string, unknown>;
  for (const name of used) if (!(name in keys) || name === 'prefix') throw new Error(`Lua names key.${name}, which keys.ts does not define`);
  const lines = ['local P = ARGV[1]', 'local key = {}'];
  for (const [name, value] of Object.entries(keys)) {
    if (!used.has(name)) continue;
    if (typeof value === 'string') lines.push(`key.${name} = ${expression(value, 0)}`);
    else if (typeof value === 'function') {
      const arity = (value as (...a: string[]) => string).length;
      const args = Array.from({ length: arity }, (_, i) => ARG(i + 1));
      const params = args.map((_, i) => `a${i + 1}`).join(', ');
      lines.push(`key.${name} = function(${params}) return ${expression((value as (...a: string[]) => string)(...args), arity)} end`);
    }
  }
  return lines.join('\n');
}
