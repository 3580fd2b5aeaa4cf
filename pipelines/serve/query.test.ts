import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { smallWarehouse } from '../../testkit/shared.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { runQuery, toCsv } from './query.ts';

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
});
