/**
 * Keys written before the layout carried a hash tag (`lf:teams` where it is now `{lf}:teams`):
 * moved once, at boot, before the app reads anything, so an upgraded single Redis keeps its data.
 *
 * Only names of the layout (and the old clear-text `demo:password`, which boot deletes) move, so
 * another deployment whose prefix merely starts with ours (`lf:` and `lf:x:`) is left alone.
 * RENAMENX keeps TTLs, and a key another process moved first (or a newer key of the same name) is
 * skipped: several processes booting at once all finish with the same keys.
 */
import { KEY_LAYOUT, taggedPrefix } from '../keys.ts';
import type { Redis } from './client.ts';

const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches a key name (without prefix) of the layout. */
const LAYOUT_NAME = new RegExp(
  `^(?:${[...KEY_LAYOUT.filter((e) => e.type !== 'pub/sub').map((e) => e.pattern), 'demo:password']
    .map((p) => p.split(/<[^>]+>/).map(escapeRegExp).join('.+'))
    .join('|')})$`,
  's',
);

/** Keys any deployment of the old layout that ever booted has one of. */
const MARKERS = ['teams', 'users', 'geo:version', 'orgs', 'demo:password'];

/**
 * Renames the untagged keys of `prefix` to the tagged layout; returns how many moved. A prefix
 * that already holds its tag had nothing to move. Single Redis only (a cluster cannot RENAME
 * across slots, and was never written untagged).
 */
export async function moveUntaggedKeys(redis: Redis, prefix: string): Promise<number> {
  const tagged = taggedPrefix(prefix);
  if (tagged === prefix) return 0;
  if ((await redis.exists(MARKERS.map((m) => prefix + m))) === 0) return 0;
  let moved = 0;
  for await (const batch of redis.scanIterator({ MATCH: `${escapeGlob(prefix)}*`, COUNT: 1000 })) {
    for (const key of batch) {
      const rest = key.slice(prefix.length);
      if (!LAYOUT_NAME.test(rest)) continue;
      moved += Number(await redis.renameNX(key, tagged + rest).catch(() => 0));
    }
  }
  return moved;
}
