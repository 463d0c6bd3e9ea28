/**
 * `npm run docs:keys`: writes the Redis key table in docs/architecture.md from the layout in
 * server/src/keys.ts (between the `keys:start` and `keys:end` markers), so the doc never drifts.
 * `tests/unit/server/keys.test.ts` fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyTableMarkdown } from '../server/src/keys.ts';

export const ARCHITECTURE_DOC = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'architecture.md');
const START = '<!-- keys:start: generated from server/src/keys.ts by `npm run docs:keys` -->';
const END = '<!-- keys:end -->';

/** The table between the markers (throws when they are missing). */
export function documentedKeyTable(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/architecture.md lacks the markers ${START} … ${END}`);
  return doc.slice(start + START.length, end).trim();
}

/** The doc with the table between the markers replaced by the one keys.ts describes. */
export function withKeyTable(doc: string): string {
  documentedKeyTable(doc);
  const start = doc.indexOf(START) + START.length;
  return `${doc.slice(0, start)}\n${keyTableMarkdown()}\n${doc.slice(doc.indexOf(END))}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
  const next = withKeyTable(doc);
  if (next === doc) console.log('docs/architecture.md: the key table is up to date');
  else {
    writeFileSync(ARCHITECTURE_DOC, next);
    console.log('docs/architecture.md: key table rewritten from server/src/keys.ts');
  }
}
