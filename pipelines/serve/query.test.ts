import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { smallWarehouse } from '../../testkit/shared.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { lockDown, lockdownProblems, printQuery, type QueryFormat, requireLockdown, runQuery, toCsv } from './query.ts';

describe('published snapshot and query', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    // its own copy of the shared warehouse, built by one successful nightly run, with the snapshot it published
    db = smallWarehouse(dir).db;
  });
  afterAll(() => cleanup());

  it('publishes a snapshot analysts can query while a writer holds the warehouse', async () => {
    const writer = await Warehouse.open(db);
    try {
      const r = await runQuery({ db, sql: 'select count(*)::int as n from mart.entity_risk' });
      expect(r.source).toBe(snapshotPath(db));
      expect(r.rows[0]?.n).toBeGreaterThan(0);
      const pub = await runQuery({ db, sql: 'select run_id::int as run_id from meta.published' });
      expect(pub.rows).toEqual([{ run_id: 1 }]);
    } finally {
      writer.close();
    }
  });

  it('refuses writes and file access with a clear error', async () => {
    await expect(runQuery({ db, sql: 'create table x (a int)' })).rejects.toMatchObject({ code: 'query-failed', exitCode: 2 });
    await expect(runQuery({ db, sql: `copy (select 1) to '${join(dir, 'x.csv')}'` })).rejects.toMatchObject({ code: 'query-failed' });
  });

  it('writes RFC 4180 CSV', () => {
    expect(toCsv({ source: '', columns: ['a', 'b'], rows: [{ a: 'x,"y"', b: ['1', '2'] }], truncated: false })).toBe(
      'a,b\n"x,""y""","[""1"",""2""]"',
    );
  });

  /** printQuery into strings: what goes to stdout and to stderr. */
  async function printed(sql: string, format: QueryFormat, limit?: number | 'all') {
    let out = '';
    const notes: string[] = [];
    const r = await printQuery(
      { db, sql, format, limit },
      {
        write: async (t) => {
          out += t;
        },
        note: (t) => {
          notes.push(t);
        },
      },
    );
    return { out, notes, ...r };
  }

  it('streams every row of csv and json, and caps only the table format, saying so', async () => {
    const csv = await printed('select i from range(5000) r(i)', 'csv');
    expect(csv.out.split('\n')).toHaveLength(5002); // header, 5,000 rows, the final line end
    expect(csv).toMatchObject({ rows: 5000, truncated: false, notes: [] });
    const json = await printed('select i from range(5000) r(i)', 'json');
    expect(JSON.parse(json.out)).toHaveLength(5000);
    const table = await printed('select i from range(5000) r(i)', 'table');
    expect(table).toMatchObject({ rows: 1000, truncated: true, notes: [expect.stringContaining('showing 1,000 of 5,000 rows')] });
    expect((await printed('select i from range(5000) r(i)', 'table', 'all')).notes).toEqual([]);
    expect((await printed('select i from range(5000) r(i)', 'csv', 2048)).out.split('\n')).toHaveLength(2050);
    expect(await printed('select 1 as a, 2 as b where false', 'csv')).toMatchObject({ out: 'a,b\n', rows: 0 });
    expect((await printed('select 1 as a where false', 'json')).out).toBe('[]\n');
  });

  it('refuses a text of two statements, or of none', async () => {
    await expect(runQuery({ db, sql: 'select 1; select 2' })).rejects.toMatchObject({ code: 'usage', exitCode: 2 });
    await expect(runQuery({ db, sql: ' -- nothing;' })).rejects.toMatchObject({ code: 'usage', exitCode: 2 });
    await expect(runQuery({ db, sql: 'selec 1' })).rejects.toMatchObject({ code: 'query-failed', exitCode: 2 });
  });

  it('gives typed JSON values', async () => {
    const r = await runQuery({
      db,
      sql: `select 7::bigint as n, -9007199254740993::hugeint as big, 12.50::decimal(10, 2) as money, date '2024-12-31' as d,
                   timestamptz '2024-12-31 08:30:00+00' as tz, {'k': 3::bigint} as s`,
    });
    expect(r.rows).toEqual([
      { n: 7, big: '-9007199254740993', money: '12.50', d: '2024-12-31', tz: expect.stringMatching(/^2024-12-31T\d{2}:30:00[+-]/), s: { k: 3 } },
    ]);
  });

  it('interrupts a query at its time limit with query-timeout, saying how to raise it', async () => {
    const endless = 'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r';
    const err = await runQuery({ db, sql: endless, timeoutSeconds: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'query-timeout', exitCode: 1 });
    expect((err as Error).message).toMatch(/time limit of 1 s.*--timeout <seconds>.*JIANGUAN_QUERY_TIMEOUT/);
    // a time limit reached while rows are being read, too
    const slow = await printQuery(
      { db, sql: 'select i from range(100000000) r(i)', format: 'csv', timeoutSeconds: 0.5 },
      { write: () => new Promise((done) => setTimeout(done, 50)), note: () => undefined },
    ).catch((e: unknown) => e);
    expect(slow).toMatchObject({ code: 'query-timeout' });
    // the connection is usable again: the next query of the process runs
    expect((await runQuery({ db, sql: 'select 1 as one' })).rows).toEqual([{ one: 1 }]);
  });

  it('abandons a query DuckDB does not stop at its time limit: query-timeout after the grace, its connection closed later', async () => {
    const endless = 'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r';
    const before = process.env.JIANGUAN_FAULT;
    process.env.JIANGUAN_FAULT = 'query-interrupt-lost';
    try {
      const err = await runQuery({ db, sql: endless, timeoutSeconds: 1 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'query-timeout', exitCode: 1, details: { abandoned: true } });
      expect((err as Error).message).toMatch(/time limit of 1 s \(and abandoned: DuckDB had not stopped 5 s later\)/);
    } finally {
      if (before === undefined) delete process.env.JIANGUAN_FAULT;
      else process.env.JIANGUAN_FAULT = before;
    }
    // a query meanwhile has an instance of its own: it runs while the abandoned one still holds the snapshot
    expect((await runQuery({ db, sql: 'select 2 as two' })).rows).toEqual([{ two: 2 }]);
  });

  it('runs under a memory limit, and says how to raise it when the query needs more', async () => {
    const r = await runQuery({ db, sql: "select current_setting('memory_limit') as m", memoryLimit: '300MB' });
    expect(r.rows[0]?.m).toMatch(/^(28[0-9]|29[0-9]|300)\.?\d* MiB$/);
    const big = await runQuery({
      db,
      sql: 'select list(i) as l from range(20000000) r(i)',
      memoryLimit: '50MB',
    }).catch((e: unknown) => e);
    expect(big).toMatchObject({ code: 'out-of-memory', exitCode: 1 });
    expect((big as Error).message).toContain('--memory-limit');
  });

  it('reads only what --limit takes, from a result far too large to hold', async () => {
    const five = await printed('select * from range(50000000)', 'table', 5);
    expect(five).toMatchObject({ rows: 5, truncated: true, notes: [expect.stringMatching(/^showing 5 of more than [\d,]+ rows/)] });
    expect(five.out.trim().split('\n')).toHaveLength(7);
    const csv = await printed('select * from range(50000000)', 'csv', 5);
    expect(csv.out).toBe('range\n0\n1\n2\n3\n4\n');
    expect((await runQuery({ db, sql: 'select * from range(50000000)', limit: 5 })).rows).toHaveLength(5);
  });

  it.each([
    [`copy (select 1) to '${'X'}'`, /file system operations are disabled/],
    ["attach 'X' as other", /file system operations are disabled/],
    ["select * from read_csv('/etc/passwd')", /file system operations are disabled/],
    ["select * from 'https://example.com/a.csv'", /disabled/],
    ['install httpfs', /disabled/],
    ['load httpfs', /disabled/],
    ['set enable_external_access = true', /configuration has been locked/],
    ["set memory_limit = '100GB'", /configuration has been locked/],
    ['reset lock_configuration', /configuration has been locked/],
    ['create table x (a int)', /read-only mode/],
    ['insert into meta.runs (run_id) values (999)', /read-only mode/],
  ])('refuses %s and says why', async (sql, why) => {
    const text = sql.replaceAll('X', join(dir, 'forbidden.out'));
    const err = await runQuery({ db, sql: text }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'query-failed', exitCode: 2 });
    expect((err as Error).message).toMatch(why);
    expect(existsSync(join(dir, 'forbidden.out'))).toBe(false);
  });

  it('self-tests the lockdown before the first statement and refuses a connection where it does not hold', async () => {
    const open = await Warehouse.open(join(dir, 'open.duckdb'));
    try {
      expect(await lockdownProblems(open)).toEqual(
        [
          'enable_external_access is true, not false',
          'autoload_known_extensions is true, not false',
          'autoinstall_known_extensions is false, not false',
          'lock_configuration is false, not true',
          // the file is attached as the catalog jianguan in an in-memory instance (warehouse/db.ts)
          'database jianguan is attached read-write',
          'database memory is attached read-write',
        ].filter((p) => !p.startsWith('autoinstall')),
      );
      await expect(requireLockdown(open)).rejects.toMatchObject({ code: 'query-lockdown-failed', exitCode: 1 });
    } finally {
      open.close();
    }
    const snapshot = await Warehouse.open(snapshotPath(db), { readOnly: true });
    try {
      await lockDown(snapshot, '1GB');
      expect(await lockdownProblems(snapshot)).toEqual([]);
    } finally {
      snapshot.close();
    }
  });
});
