// As-of answers hold (issue 9.3): for several dates D, the transform as of D over everything loaded equals the
// transform as of D over only what was known by D: the batches known (meta.batches.known_on) on or before D, and
// of those only the records dated (decided, inspected, listed, rated, published) on or before D. Every core and
// mart table is compared row for row. The shared generated warehouse's batches are spread over four known_on
// dates first (the last one after every D), so that each D cuts through files as well as through records.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { brokenWarehouse, copyWarehouseFile } from '../../testkit/shared.ts';
import { compareWarehouses, identical } from '../../warehouse/compare.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { defaultRiskConfig } from './risk-config.ts';
import { runTransform } from './transform.ts';

/** Each feed's own date, written here from the feed specs (not from the staging models). */
const DATED: Record<string, string> = {
  license: 'decided_on',
  inspection: 'inspected_on',
  penalty: 'decided_on',
  dishonest_debtor: 'coalesce(published_on, filed_on)',
  abnormal_operation: 'listed_on',
  serious_violation: 'listed_on',
  credit_rating: 'rated_on',
};

const DATES = ['2023-06-30', '2024-06-30', '2024-12-31'] as const;

async function transformAsOf(db: string, asOf: string, prepare?: (wh: Warehouse) => Promise<void>): Promise<void> {
  const wh = await openWarehouse(db);
  try {
    await prepare?.(wh);
    await runTransform(wh, { log: silentLogger(), asOf, riskConfig: defaultRiskConfig() });
  } finally {
    wh.close();
  }
}

describe('as-of answers hold', () => {
  let cleanup: () => void;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    base = brokenWarehouse(dir).db;
    await withWarehouse(base, async (wh) => {
      await wh.run(
        `update meta.batches set known_on = case batch_id % 4
           when 0 then date '2022-12-31' when 1 then date '2023-12-31' when 2 then date '2024-03-31' else date '2025-01-31' end`,
      );
    });
  });
  afterAll(() => cleanup?.());

  it.each(DATES)('as of %s: everything loaded gives what was known and dated by then', async (asOf) => {
    const full = copyWarehouseFile(base, join(dir, `full-${asOf}.duckdb`));
    const known = copyWarehouseFile(base, join(dir, `known-${asOf}.duckdb`));
    await transformAsOf(full, asOf);
    let removed = 0;
    await transformAsOf(known, asOf, async (wh) => {
      for (const [feed, dated] of Object.entries(DATED)) {
        removed += await wh.scalarNumber(
          `select count(*) from raw.${feed} as r
           where r._batch_id in (select batch_id from meta.batches where known_on > ?::date) or ${dated} > ?::date`,
          [asOf, asOf],
        );
        await wh.run(
          `delete from raw.${feed} where _batch_id in (select batch_id from meta.batches where known_on > ?::date) or ${dated} > ?::date`,
          [asOf, asOf],
        );
      }
      await wh.run('delete from meta.rejects where batch_id in (select batch_id from meta.batches where known_on > ?::date)', [asOf]);
      await wh.run('delete from meta.batches where known_on > ?::date', [asOf]);
    });
    // the cut removes records, and leaves some: the property is not vacuous
    expect(removed).toBeGreaterThan(0);
    const cmp = await compareWarehouses(full, known, ['core', 'mart']);
    expect(cmp.length).toBeGreaterThan(10);
    expect(cmp.filter((c) => !identical(c))).toEqual([]);
    expect(cmp.find((c) => c.table === 'mart.entity_risk')?.rows).toBeGreaterThan(0);
  });
});
