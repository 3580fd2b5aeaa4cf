// The architecture, checked: data flows one way (bin → pipelines → connectors, schemas → warehouse, lib),
// only warehouse/db.ts talks to DuckDB, and no module imports itself through a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const LAYERS = ['lib', 'warehouse', 'schemas', 'connectors', 'fixtures', 'pipelines', 'bin'];

function sources(): string[] {
  return (readdirSync(ROOT, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('node_modules') && !f.startsWith('tmp/'))
    .filter((f) => LAYERS.includes(f.split('/')[0]!))
    .sort();
}

function imports(file: string): { relative: string[]; packages: string[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  const rel = specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
  return { relative: rel, packages: specs.filter((s) => !s.startsWith('.')) };
}

describe('architecture', () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, imports(f)]));

  it('imports only downwards through the layers', () => {
    const layer = (f: string) => LAYERS.indexOf(f.split('/')[0]!);
    const upward = files.flatMap((f) => graph.get(f)!.relative.filter((t) => layer(t) > layer(f)).map((t) => `${f} → ${t}`));
    expect(upward).toEqual([]);
  });

  it('lets only warehouse/db.ts import the DuckDB client', () => {
    const users = files.filter((f) => graph.get(f)!.packages.some((p) => p.startsWith('@duckdb/')));
    expect(users).toEqual(['warehouse/db.ts']);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f)?.relative ?? []) if (graph.has(t)) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
