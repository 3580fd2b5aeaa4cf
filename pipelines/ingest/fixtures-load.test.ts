// The loader against a generated landing zone: every planted defect is rejected exactly where the manifest says,
// broken files fail with the planted reason, counts reconcile, and a rerun loads nothing new.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { type BrokenWarehouse, brokenWarehouse } from '../../testkit/shared.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runLoad } from '../run/load-command.ts';
import type { LoadResult } from './load.ts';

interface Manifest {
  files: { path: string; expect: 'loaded' | 'failed' | 'skipped'; failure_reason?: string; records: number; rejects: Record<string, number> }[];
  rejects_by_reason: Record<string, number>;
  defects: { path: string; line: number; record_no: number; reason: string; field: string | null }[];
  warnings: { path: string; line: number; code: string; field: string }[];
}

describe('loading a generated landing zone', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let manifest: Manifest;
  let first: LoadResult;
  let w: BrokenWarehouse;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    // the shared generated landing zone (seed 11, scale 0.3, broken files), loaded once by the global setup's
    // nightly run; this file works on its own copy of the warehouse
    w = brokenWarehouse(dir);
    db = w.db;
    manifest = JSON.parse(readFileSync(w.manifest, 'utf8')) as Manifest;
    first = w.nightly.load[0] as LoadResult;
  });
  afterAll(() => cleanup());

  it('gives every file the outcome the manifest planted', () => {
    const got = Object.fromEntries(first.files.map((f) => [f.location, f.status === 'failed' ? `failed:${f.errorCode}` : f.status]));
    const want = Object.fromEntries(manifest.files.map((f) => [f.path, f.expect === 'failed' ? `failed:${f.failure_reason}` : f.expect]));
    expect(got).toEqual(want);
    expect(first.exitCode).toBe(3);
  });

  it('rejects exactly the planted defects, at their file, line and field', async () => {
    await withWarehouse(db, async (wh) => {
      const rejects = await wh.all(
        'select b.location as path, r.source_line as line, r.record_no, r.reason_code as reason, r.field from meta.rejects r join meta.batches b using (batch_id) order by 1, 2',
      );
      const key = (d: { [k: string]: unknown }) => `${d.path}:${d.line}#${d.record_no} ${d.reason} ${d.field ?? ''}`;
      expect(rejects.map(key).sort()).toEqual(manifest.defects.map(key).sort());
      const byReason = await wh.all('select reason_code, count(*)::int as n from meta.rejects group by 1');
      expect(Object.fromEntries(byReason.map((r) => [r.reason_code, r.n]))).toEqual(manifest.rejects_by_reason);
    });
  });

  it('loads the warned records with their warnings', async () => {
    await withWarehouse(db, async (wh) => {
      for (const w of manifest.warnings) {
        const feed = w.path.split('/').at(-2);
        const row = await wh.one(
          `select r._warnings, r.${w.field}::varchar as value from raw.${feed} r join meta.batches b on b.batch_id = r._batch_id where b.location = ? and r._source_line = ?`,
          [w.path, w.line],
        );
        if (w.code === 'enum-unknown') {
          // an unknown code in an optional code list: the record loads, the field NULL, the warning names field and text
          expect(row?._warnings, `${w.path}:${w.line}`).toContainEqual(expect.stringMatching(new RegExp(`^enum-unknown:${w.field}=.+`)));
          expect(row?.value, `${w.path}:${w.line}`).toBeNull();
        } else {
          expect(row?._warnings, `${w.path}:${w.line}`).toContain(w.code);
        }
      }
      // meta.batches.rows_warned counts exactly the planted warned records of each file
      const warned = await wh.all("select location, rows_warned::int as n from meta.batches where status = 'loaded' and rows_warned > 0");
      const want: Record<string, number> = {};
      for (const w of manifest.warnings) want[w.path] = (want[w.path] ?? 0) + 1;
      expect(Object.fromEntries(warned.map((r) => [r.location, r.n]))).toEqual(want);
    });
  });

  it('reconciles rows read = loaded + rejected per batch, and raw rows per batch', async () => {
    await withWarehouse(db, async (wh) => {
      const feeds = ['inspection', 'license', 'penalty', 'dishonest_debtor', 'abnormal_operation', 'serious_violation', 'credit_rating'];
      const rawCounts = feeds.map((f) => `select _batch_id, count(*) as n from raw.${f} group by 1`).join(' union all ');
      const broken = await wh.all(`
        with raw_rows as (${rawCounts}), rej as (select batch_id, count(*) as n from meta.rejects group by 1)
        select b.location from meta.batches b
        left join raw_rows r on r._batch_id = b.batch_id left join rej j on j.batch_id = b.batch_id
        where b.rows_read <> b.rows_loaded + b.rows_rejected or coalesce(r.n, 0) <> b.rows_loaded or coalesce(j.n, 0) <> b.rows_rejected`);
      expect(broken).toEqual([]);
      const loaded = manifest.files.filter((f) => f.expect === 'loaded');
      const records = await wh.scalarNumber("select sum(rows_read) from meta.batches where status = 'loaded'");
      expect(records).toBe(loaded.reduce((s, f) => s + f.records, 0));
    });
  });

  it('loads nothing new on a second run', async () => {
    const again = await runLoad({ db, config: w.config, log: silentLogger() });
    expect(again.totals.rowsLoaded).toBe(0);
    expect(again.files.filter((f) => f.status === 'loaded')).toEqual([]);
  });
});
