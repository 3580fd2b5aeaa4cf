// `jianguan query` bounded, as a process: a statement DuckDB does not stop at the time limit still ends the
// process after the grace (query-timeout said on stderr, then SIGKILL: Node's exit would wait for DuckDB's thread); every refused statement is one line on stderr, exit 2, nothing
// on stdout and no file created; --limit 5 over a result of 50 million rows prints 5.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { smallWarehouse } from '../testkit/shared.ts';

const CLI = join(new URL('..', import.meta.url).pathname, 'bin/jianguan.mjs');

describe('jianguan query, bounded', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const q = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [CLI, '--log-level', 'silent', '--db', db, 'query', ...args], {
      encoding: 'utf8',
      // a guard against a hang (the bug this file is about), not a timing assertion: a killed CLI fails the test
      timeout: 600_000,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  };
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    db = smallWarehouse(dir).db;
  });
  afterAll(() => cleanup());

  it('ends with query-timeout when DuckDB does not stop at the time limit (killed) and when it does (exit 1)', () => {
    const endless = 'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r';
    const r = q(['--timeout', '1', endless], { JIANGUAN_FAULT: 'query-interrupt-lost' });
    // Node cannot exit while DuckDB holds one of its threads: the CLI says why, then kills itself
    expect(r).toMatchObject({ code: null, signal: 'SIGKILL', stdout: '' });
    expect(r.stderr).toMatch(/^jianguan: \[query-timeout\] query interrupted at its time limit of 1 s \(and abandoned/);
    // and when it does stop: the same code, without "abandoned"
    const stopped = q(['--timeout', '1', endless], { JIANGUAN_QUERY_TIMEOUT: '300' });
    expect(stopped).toMatchObject({ code: 1, stdout: '' });
    expect(stopped.stderr).toMatch(/^jianguan: \[query-timeout\] query interrupted at its time limit of 1 s: .*--timeout/);
  });

  // one of each kind (pipelines/serve/query.test.ts refuses every kind in process)
  it.each(["copy (select 1) to 'OUT'", 'install httpfs', "set memory_limit = '100GB'", 'create temp table x (a int)'])(
    'refuses %s in one line, exit 2, nothing created',
    (sql) => {
      const out = join(dir, 'forbidden.out');
      const r = q(['--format', 'csv', sql.replaceAll('OUT', out)]);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^jianguan: \[query-failed\] query (refused|failed): [^\n]+\n$/);
      expect(existsSync(out)).toBe(false);
    },
  );

  it('prints --limit 5 of 50 million rows', () => {
    const r = q(['--format', 'csv', '--limit', '5', 'select * from range(50000000)']);
    expect(r).toMatchObject({ code: 0, stdout: 'range\n0\n1\n2\n3\n4\n', stderr: '' });
    const table = q(['--limit', '5', 'select * from range(50000000)']);
    expect(table.code).toBe(0);
    expect(table.stderr).toMatch(/^showing 5 of more than [\d,]+ rows/);
  });
});
