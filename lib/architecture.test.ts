// The architecture, checked. The code lives in rooms (a top-level folder, or a capability folder of pipelines/ or
// warehouse/), and a room may import only from the rooms ROOMS allows it: data flows one way, bin → pipelines →
// connectors, schemas → warehouse → lib. Static imports, re-exports and dynamic import() all count. Only
// warehouse/db.ts talks to DuckDB, no module imports itself through a cycle, and no source file grows past 300 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

/** Each room, and the rooms it may import from (besides itself). */
const ROOMS: Record<string, readonly string[]> = {
  lib: [],
  warehouse: ['lib'],
  schemas: ['lib', 'warehouse'],
  'warehouse/schema': ['lib', 'warehouse', 'schemas'],
  connectors: ['lib', 'warehouse', 'schemas'],
  fixtures: ['lib', 'warehouse', 'schemas'],
  // the model catalog and the landed-file checks that lineage, verify, audit and history share
  'pipelines/catalog': ['lib', 'warehouse', 'schemas'],
  'pipelines/audit': ['lib', 'warehouse', 'warehouse/schema', 'schemas', 'pipelines/catalog', 'pipelines/archive'],
  // the archive of loaded files, the diffs between versions of a location, retention
  'pipelines/archive': ['lib', 'warehouse', 'schemas'],
  'pipelines/ingest': ['lib', 'warehouse', 'schemas', 'connectors', 'pipelines/catalog', 'pipelines/audit', 'pipelines/archive'],
  'pipelines/transform': ['lib', 'warehouse', 'warehouse/schema', 'schemas', 'pipelines/catalog'],
  'pipelines/lineage': ['lib', 'warehouse', 'warehouse/schema', 'schemas', 'pipelines/catalog', 'pipelines/archive'],
  'pipelines/verify': ['lib', 'warehouse', 'warehouse/schema', 'schemas', 'pipelines/catalog', 'pipelines/audit', 'pipelines/archive'],
  'pipelines/serve': ['lib', 'warehouse', 'warehouse/schema', 'schemas', 'pipelines/archive'],
  // the run kernel: every writing command goes through it
  'pipelines/run': [
    'lib',
    'warehouse',
    'warehouse/schema',
    'schemas',
    'connectors',
    'pipelines/catalog',
    'pipelines/audit',
    'pipelines/ingest',
    'pipelines/transform',
    'pipelines/archive',
  ],
  // code only tests and benchmarks use
  testkit: ['lib', 'warehouse', 'warehouse/schema', 'schemas', 'fixtures', 'pipelines/run', 'pipelines/transform'],
  bin: ['*'],
};

const SKIP = /^(node_modules|tmp|\.bench)\//;

function roomOf(file: string): string {
  const parts = file.split('/');
  if ((parts[0] === 'pipelines' || parts[0] === 'warehouse') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

function sources(): string[] {
  return (readdirSync(ROOT, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !SKIP.test(f))
    .filter((f) => roomOf(f) in ROOMS)
    .sort();
}

function imports(file: string): { relative: string[]; packages: string[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
  ];
  const rel = specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
  return { relative: rel, packages: specs.filter((s) => !s.startsWith('.')) };
}

describe('architecture', () => {
  const files = sources();
  const code = files.filter((f) => !f.endsWith('.test.ts'));
  const graph = new Map(files.map((f) => [f, imports(f)]));

  it('knows every room of the repository', () => {
    const top = new Set(files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['bin', 'connectors', 'fixtures', 'lib', 'pipelines', 'schemas', 'testkit', 'warehouse']);
    expect(files.filter((f) => f.startsWith('pipelines/') && f.split('/').length < 3)).toEqual([]);
  });

  it('imports only the rooms each room may use (tests may also use testkit, fixtures and every pipelines room)', () => {
    const forTests = (t: string) => ['testkit', 'fixtures'].includes(roomOf(t)) || t.startsWith('pipelines/');
    const bad = files.flatMap((f) => {
      const from = roomOf(f);
      const allowed = ROOMS[from]!;
      return graph
        .get(f)!
        .relative.filter((t) => roomOf(t) !== from && !allowed.includes('*') && !allowed.includes(roomOf(t)))
        .filter((t) => !(f.endsWith('.test.ts') && forTests(t)))
        .map((t) => `${f} → ${t}`);
    });
    expect(bad).toEqual([]);
  });

  it('keeps test-only code out of the product', () => {
    const users = code.filter((f) => roomOf(f) !== 'testkit' && roomOf(f) !== 'bin' && graph.get(f)!.relative.some((t) => roomOf(t) === 'testkit'));
    expect(users).toEqual([]);
  });

  it('lets only warehouse/db.ts import the DuckDB client (and db-values.ts, its value converter, which opens nothing)', () => {
    const users = code.filter((f) => graph.get(f)!.packages.some((p) => p.startsWith('@duckdb/')));
    expect(users.sort()).toEqual(['warehouse/db-values.ts', 'warehouse/db.ts']);
  });

  it('keeps every source file under 300 lines', () => {
    const long = files.filter((f) => readFileSync(join(ROOT, f), 'utf8').split('\n').length > 300);
    expect(long).toEqual([]);
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
    for (const f of code) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
