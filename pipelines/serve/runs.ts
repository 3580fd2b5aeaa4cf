// `jianguan runs`: the run history, newest first.
import { col, type RowOf } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';

const RUN_ROW = {
  run_id: col.int(),
  command: col.text(),
  status: col.text(),
  exit_code: col.nullable(col.int()),
  started_at: col.isoTimestamp(),
  finished_at: col.nullable(col.isoTimestamp()),
  rows_read: col.int(),
  rows_loaded: col.int(),
  rows_rejected: col.int(),
  batches_failed: col.int(),
  code_version: col.nullable(col.text()),
  config_hash: col.nullable(col.text()),
};

export type RunRow = RowOf<typeof RUN_ROW>;

/** The newest `limit` runs of an open warehouse (what `runs` lists and `status` shows as the last run). */
export function latestRuns(wh: Warehouse, limit: number): Promise<RunRow[]> {
  return wh.rows(
    `select run_id, command, status, exit_code, strftime(started_at, '%Y-%m-%d %H:%M:%S') as started_at,
            strftime(finished_at, '%Y-%m-%d %H:%M:%S') as finished_at, coalesce(rows_read, 0) as rows_read,
            coalesce(rows_loaded, 0) as rows_loaded, coalesce(rows_rejected, 0) as rows_rejected,
            coalesce(batches_failed, 0) as batches_failed, code_version, config_hash
     from meta.runs order by run_id desc limit ?`,
    [limit],
    RUN_ROW,
  );
}

export async function runRuns(o: { db: string; limit: number }): Promise<RunRow[]> {
  return withOpenWarehouse(o.db, (wh) => latestRuns(wh, o.limit), { readOnly: true });
}
