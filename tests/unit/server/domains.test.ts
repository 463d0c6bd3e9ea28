/**
 * Server domains depend one way: a folder of server/src that imports another never gets
 * imported back, directly or round a longer loop (CONVENTIONS: a third concept is hiding
 * between two folders that import each other). Files directly in server/src are the app's
 * frame (app, config, keys, events …), not a domain.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../server/src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The domain folder a file belongs to, or undefined for a file directly in server/src (or outside it). */
function domainOf(file: string): string | undefined {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

/** Relative specifiers a file imports or re-exports, type-only ones included. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
}

/** domain → domain → the first import seen that makes the edge (`alerts/service.ts → coverage/engine.ts`). */
function domainGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of tsFiles(SRC)) {
    const from = domainOf(file);
    if (!from) continue;
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier);
      const to = domainOf(target);
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      graph.set(from, edges);
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return graph;
}

/**
 * Groups of domains that reach each other (strongly connected components, Tarjan), each sorted,
 * largest first. Any group of two or more is a cycle; listing groups rather than every loop
 * keeps the message short when many loops share folders.
 */
function tangles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      for (let member = stack.pop()!; ; member = stack.pop()!) {
        group.push(member);
        if (member === node) break;
      }
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.sort((a, b) => b.length - a.length || a.join().localeCompare(b.join()));
}

describe('server domains', () => {
  it('never import each other in a cycle', () => {
    const graph = domainGraph();
    const groups = tangles(graph);
    const described = groups.map((group) => {
      const edges = group.flatMap((from) => [...graph.get(from)!].filter(([to]) => group.includes(to)).map(([to, via]) => `    ${from} → ${to}   (${via})`));
      return `  ${group.join(', ')} import each other:\n${edges.sort().join('\n')}`;
    });
    expect(graph.size, 'no import between server/src folders found: is the import parser broken?').toBeGreaterThan(0);
    expect(groups, `server/src domains that import each other in a cycle (give the concept between them its own folder):\n${described.join('\n')}`).toEqual([]);
  });

  it('finds a loop round three folders and leaves a one-way chain alone', () => {
    const graph = (edges: string[]) => {
      const g = new Map<string, Map<string, string>>();
      for (const edge of edges) {
        const [from, to] = edge.split('>') as [string, string];
        g.set(from, (g.get(from) ?? new Map()).set(to, edge));
      }
      return g;
    };
    expect(tangles(graph(['alerts>coverage', 'coverage>demo', 'demo>alerts', 'demo>geography']))).toEqual([['alerts', 'coverage', 'demo']]);
    expect(tangles(graph(['alerts>coverage', 'coverage>demo', 'alerts>demo']))).toEqual([]);
  });
});
