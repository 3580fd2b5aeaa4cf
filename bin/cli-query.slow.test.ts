// `jianguan query` and the --json outputs, run as a process: every row unless --limit, a validated --limit, no
// silent truncation, one statement, typed JSON with snake_case keys, `graph --json` as nodes and edges.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camelKeysIn } from '../lib/json-keys.ts';
import { makeTempDir } from '../lib/temp-dir.ts';
import { type SharedWarehouse, smallWarehouse } from '../testkit/shared.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--log-level', 'silent', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (s: string) => s.replace(/\n$/, '').split('\n');

describe('jianguan query', () => {
  let dir: string;
  let cleanup: () => void;
  let w: SharedWarehouse;
  let q: (...args: string[]) => ReturnType<typeof cli>;
  let entities: number;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    w = smallWarehouse(dir);
    q = (...args: string[]) => cli(['--db', w.db, 'query', ...args]);
    const n = q('--format', 'json', 'select count(*) as n from mart.entity_risk');
    expect(n.code).toBe(0);
    entities = (JSON.parse(n.stdout) as { n: number }[])[0]?.n as number;
    expect(entities).toBeGreaterThan(5);
  });
  afterAll(() => cleanup());

  it('prints every row as CSV (header + one line per row) and as JSON, with nothing on stderr', () => {
    const csv = q('--format', 'csv', 'select * from mart.entity_risk');
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('');
    expect(lines(csv.stdout)).toHaveLength(entities + 1);
    expect(lines(csv.stdout)[0]).toMatch(/^entity_id,/);
    const json = q('--format', 'json', 'select * from mart.entity_risk');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveLength(entities);
    // more rows than the table format's cap, and than one DuckDB chunk (2,048)
    const big = q('--format', 'csv', 'select i from range(3412) r(i)');
    expect(lines(big.stdout)).toHaveLength(3413);
    expect(lines(big.stdout).at(-1)).toBe('3411');
    expect(JSON.parse(q('--format', 'json', 'select i from range(3412) r(i)').stdout)).toHaveLength(3412);
    // --json is --format json
    expect(JSON.parse(cli(['--db', w.db, '--json', 'query', 'select i from range(1500) r(i)']).stdout)).toHaveLength(1500);
  });

  it('prints --limit n rows, or every row with --limit all', () => {
    expect(lines(q('--format', 'csv', '--limit', '5', 'select * from mart.entity_risk').stdout)).toHaveLength(6);
    expect(JSON.parse(q('--format', 'json', '--limit', '5', 'select * from mart.entity_risk').stdout)).toHaveLength(5);
    expect(lines(q('--format', 'csv', '--limit', '2048', 'select i from range(3000) r(i)').stdout)).toHaveLength(2049);
    expect(lines(q('--format', 'csv', '--limit', 'all', 'select * from mart.entity_risk').stdout)).toHaveLength(entities + 1);
    const table = q('--limit', 'all', 'select i from range(1500) r(i)');
    expect(table.stderr).toBe('');
    expect(lines(table.stdout)).toHaveLength(1502);
  });

  it.each(['abc', '-1', '0', '1.5', '1e3', ''])('refuses --limit %j: exit 2, a message on stderr, nothing on stdout', (limit) => {
    const r = q('--format', 'csv', '--limit', limit, 'select 1');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--limit');
  });

  it('prints the header of an empty result (CSV) or [] (JSON)', () => {
    expect(q('--format', 'csv', 'select * from mart.entity_risk where false').stdout).toMatch(/^entity_id,[a-z_,]+\n$/);
    expect(q('--format', 'json', 'select * from mart.entity_risk where false').stdout).toBe('[]\n');
  });

  it('refuses a text of two statements (or none) instead of showing one result', () => {
    const two = q('--format', 'csv', 'select 1; select 2');
    expect(two.code).toBe(2);
    expect(two.stdout).toBe('');
    expect(two.stderr).toMatch(/2 SQL statements/);
    expect(q('select 1;').code).toBe(0);
    const none = q('/* nothing */ ;');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no SQL statement/);
    const bad = q('selec 1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/syntax error/);
  });

  it('caps the table format for the screen and says so on stderr', () => {
    const r = q('select i from range(3412) r(i)');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1002); // header, rule, 1,000 rows
    expect(r.stderr).toContain('showing 1,000 of 3,412 rows');
    expect(r.stderr).toContain('--limit all');
    const five = q('--limit', '5', 'select i from range(3412) r(i)');
    expect(lines(five.stdout)).toHaveLength(7);
    expect(five.stderr).toContain('showing 5 of 3,412 rows');
  });

  it('types JSON values: integers as numbers (beyond 2^53 as strings), money as exact decimals, ISO dates and times', () => {
    const r = q(
      '--format',
      'json',
      `select 42::bigint as n, 9007199254740993::bigint as huge, 1234567.89::decimal(18, 2) as fine, date '2024-12-31' as d,
              timestamp '2024-12-31 08:30:00' as t, [1, 2]::bigint[] as ids, 0.5::double as x, null as nothing`,
    );
    expect(JSON.parse(r.stdout)).toEqual([
      { n: 42, huge: '9007199254740993', fine: '1234567.89', d: '2024-12-31', t: '2024-12-31T08:30:00', ids: [1, 2], x: 0.5, nothing: null },
    ]);
  });

  it('prints number-typed counts and snake_case keys in the --json of status, runs and load', () => {
    const json = (...args: string[]) => {
      const r = cli(['--db', w.db, '--config', w.config, '--json', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const v: unknown = JSON.parse(r.stdout);
      expect(camelKeysIn(v), args.join(' ')).toEqual([]);
      return v;
    };
    const status = json('status') as { sources: Record<string, unknown>[]; last_run: Record<string, unknown> };
    for (const s of status.sources) {
      for (const k of ['batches_loaded', 'batches_skipped', 'batches_failed', 'rows_read', 'rows_loaded', 'rows_rejected']) {
        expect(typeof s[k], k).toBe('number');
      }
      if (s.last_loaded_at !== null) expect(s.last_loaded_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
    expect(typeof status.last_run.run_id).toBe('number');
    const runs = json('runs') as Record<string, unknown>[];
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) {
      for (const k of ['run_id', 'rows_read', 'rows_loaded', 'rows_rejected', 'batches_failed']) expect(typeof r[k], k).toBe('number');
      expect(r.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    }
    const load = json('load') as { run_id: unknown; totals: Record<string, unknown> };
    expect(typeof load.run_id).toBe('number');
    for (const v of Object.values(load.totals)) expect(typeof v).toBe('number');
  });

  it('prints `graph --json` as a node/edge document', () => {
    const r = cli(['--db', w.db, '--json', 'graph']);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout) as { nodes: { id: string; layer: string; kind: string }[]; edges: { from: string; to: string }[] };
    expect(g.nodes.find((n) => n.id === 'mart.entity_risk')).toMatchObject({ layer: 'marts', kind: 'model' });
    expect(g.nodes.some((n) => n.kind === 'source')).toBe(true);
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(g.edges.length).toBeGreaterThan(0);
    for (const e of g.edges) {
      expect(ids.has(e.from), e.from).toBe(true);
      expect(ids.has(e.to), e.to).toBe(true);
    }
  });
});
