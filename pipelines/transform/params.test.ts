import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';

describe('model macros', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await openWarehouse(':memory:');
  });
  afterEach(() => wh.close());

  it('normalises department names by removing blanks only', async () => {
    expect(await wh.one("select jg_org_name(' 威县 市场监督管理局\tGas s ') as n")).toEqual({ n: '威县市场监督管理局Gass' });
  });

  it('orders versions: own report, then own level, then newest decision, then newest batch; unknown lowest', async () => {
    const rows = await wh.all(`
      select id from (values
        ('own',      'A', 'A', 'city', 'county', date '2020-01-01', 1, 1),
        ('level',    'B', 'A', 'county', 'county', date '2024-01-01', 1, 2),
        ('newer',    'B', 'A', 'city', 'county', date '2024-06-01', 1, 3),
        ('older',    'B', 'A', 'city', 'county', date '2023-01-01', 9, 9),
        ('no-owner', 'B', null, 'city', 'county', null, 9, 9)
      ) t(id, dept, owner, lvl, owner_level, decided, b, r)
      order by jg_version_order(dept, owner, lvl, owner_level, decided, b, r) desc`);
    expect(rows.map((r) => r.id)).toEqual(['own', 'level', 'newer', 'older', 'no-owner']);
  });

  it('picks as winner of each record the version that orders first', async () => {
    const rows = await wh.all(`
      select rec, jg_winner(dept, owner, lvl, owner_level, decided, b, r) as won from (values
        ('x', 'B', 'A', 'city', 'county', date '2024-06-01', 1, 3),
        ('x', 'A', 'A', 'city', 'county', date '2020-01-01', 1, 1),
        ('x', 'B', 'A', 'county', 'county', date '2024-01-01', 1, 2),
        ('y', 'B', 'A', 'city', 'county', date '2023-01-01', 9, 9),
        ('y', 'B', 'A', 'city', 'county', date '2023-01-01', 9, 10)
      ) t(rec, dept, owner, lvl, owner_level, decided, b, r)
      group by rec order by rec`);
    expect(rows).toEqual([
      { rec: 'x', won: { batch_id: 1, record_no: 1 } },
      { rec: 'y', won: { batch_id: 9, record_no: 10 } },
    ]);
  });
});
