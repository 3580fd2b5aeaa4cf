// User input never becomes SQL text: a lineage key is bound as a parameter, a table name is looked up in the
// catalog (information_schema) and reaches SQL only quoted by warehouse/sql.ts's `ident`/`qualified`. Hostile
// keys and table names (quotes, semicolons, `'; drop table …`) are refused or traced, and drop nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { smallWarehouse } from '../../testkit/shared.ts';
import { col } from '../../warehouse/columns.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import { lineageOf } from './lineage.ts';

const HOSTILE = [
  "x'; drop table mart.entity_risk; --",
  'x"; drop table mart.entity_risk; --',
  "' or 1 = 1 --",
  '"); select 1; --',
  'it\'s "quoted";\n;',
];
/** A raw table whose name is an injection attempt of its own (raw tables are traceable by _batch_id, _record_no). */
const HOSTILE_TABLE = `we"ird'; drop table mart.entity_risk; --`;

describe('lineage with hostile input', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    db = smallWarehouse(dir).db;
  });
  afterAll(() => cleanup());

  const entities = (wh: Warehouse) => wh.scalar('select count(*) as n from mart.entity_risk', col.int());
  const firstRaw = (wh: Warehouse) =>
    wh.scalar("select table_name from information_schema.tables where table_schema = 'raw' order by 1 limit 1", col.text());

  it('binds hostile keys as values: no row is found and nothing is dropped', async () => {
    await withWarehouse(db, async (wh) => {
      const before = await entities(wh);
      expect(before).toBeGreaterThan(0);
      const raw = await firstRaw(wh);
      for (const key of HOSTILE) {
        await expect(lineageOf(wh, 'mart.entity_risk', key)).rejects.toMatchObject({ code: 'lineage-row-not-found', exitCode: 2 });
        // a raw table's integer key refuses text before any SQL
        await expect(lineageOf(wh, `raw.${raw}`, [key, '1'])).rejects.toMatchObject({ code: expect.stringMatching(/^lineage-/) });
      }
      expect(await entities(wh)).toBe(before);
    });
  });

  it('refuses hostile table names that are no table, and traces a table whose real name is hostile', async () => {
    await withWarehouse(db, async (wh) => {
      const before = await entities(wh);
      for (const table of [...HOSTILE, `mart.entity_risk"; drop table mart.entity_risk; --`]) {
        await expect(lineageOf(wh, table, 'x')).rejects.toMatchObject({ code: 'lineage-unknown-table', exitCode: 2 });
      }
      const raw = await firstRaw(wh);
      await wh.run(
        `create table ${qualified('raw', HOSTILE_TABLE)} as select * from ${qualified('raw', raw)} order by _batch_id, _record_no limit 3`,
      );
      const first = await wh.row(`select _batch_id::int as b, _record_no::int as r from ${qualified('raw', HOSTILE_TABLE)} order by 1, 2 limit 1`, {
        b: col.int(),
        r: col.int(),
      });
      const tree = await lineageOf(wh, `raw.${HOSTILE_TABLE}`, [String(first?.b), String(first?.r)]);
      expect(tree.table).toBe(`raw.${HOSTILE_TABLE}`);
      expect(await entities(wh)).toBe(before);
    });
  });
});
