import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { smallWarehouse } from '../../testkit/shared.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { printQuery, type QueryFormat, runQuery, toCsv } from './query.ts';

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
});
