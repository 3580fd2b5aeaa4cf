// What `status` and `runs` report, read from an open warehouse: per source what was loaded, rejected and failed,
// the rejects by reason, the failed files, and the newest runs. The writer computes it at the start and end of every
// run for the status document (status-doc.ts); `status --live` and `runs --live` compute it from the warehouse.
import { col, type RowOf } from './columns.ts';
import type { Warehouse } from './db.ts';

const SOURCE_STATUS = {
  source_id: col.text(),
  level: col.text(),
  region_code: col.text(),
  department: col.text(),
  feed: col.text(),
  /** Distinct landed files (locations) the source has batches for; 0 for a configured source nothing was found of. */
  files: col.int(),
  batches_loaded: col.int(),
  batches_skipped: col.int(),
  batches_failed: col.int(),
  rows_read: col.int(),
  rows_loaded: col.int(),
  rows_rejected: col.int(),
  last_loaded_at: col.nullable(col.isoTimestamp()),
};
const REJECTS = { reason_code: col.text(), n: col.int() };
const FAILED_BATCH = {
  batch_id: col.int(),
  source_id: col.text(),
  location: col.text(),
  error_code: col.nullable(col.text()),
  error: col.nullable(col.text()),
  finished_at: col.isoTimestamp(),
};
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

export type SourceStatus = RowOf<typeof SOURCE_STATUS>;
export type RunRow = RowOf<typeof RUN_ROW>;

/** The part of the status report that comes from the warehouse's tables. */
export interface WarehouseStatus {
  sources: SourceStatus[];
  rejects_by_reason: RowOf<typeof REJECTS>[];
  failed_batches: RowOf<typeof FAILED_BATCH>[];
  last_run: RunRow | null;
}

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

export async function warehouseStatus(wh: Warehouse): Promise<WarehouseStatus> {
  const sources = await wh.rows(
    `
    select source_id, any_value(level) as level, any_value(region_code) as region_code, any_value(department) as department,
           any_value(feed) as feed, count(distinct location) as files,
           count(*) filter (where status = 'loaded') as batches_loaded,
           count(*) filter (where status = 'skipped') as batches_skipped,
           count(*) filter (where status = 'failed') as batches_failed,
           coalesce(sum(rows_read), 0) as rows_read, coalesce(sum(rows_loaded), 0) as rows_loaded,
           coalesce(sum(rows_rejected), 0) as rows_rejected,
           max(finished_at) filter (where status = 'loaded')::varchar as last_loaded_at
    from meta.batches group by source_id order by source_id`,
    SOURCE_STATUS,
  );
  const rejects = await wh.rows('select reason_code, count(*) as n from meta.rejects group by 1 order by 2 desc, 1', REJECTS);
  // A failed file stays listed until a later batch of the same location loads.
  const failed = await wh.rows(
    `
    select b.batch_id, b.source_id, b.location, b.error_code, b.error, b.finished_at::varchar as finished_at
    from meta.batches b
    where b.status = 'failed'
      and not exists (select 1 from meta.batches l where l.location = b.location and l.status in ('loaded', 'skipped') and l.batch_id > b.batch_id)
      and b.batch_id = (select max(batch_id) from meta.batches f where f.location = b.location and f.status = 'failed')
    order by b.batch_id`,
    FAILED_BATCH,
  );
  const [last] = await latestRuns(wh, 1);
  return { sources, rejects_by_reason: rejects, failed_batches: failed, last_run: last ?? null };
}

/** Loaded batches per run (run id → batches), so a reader of the snapshot can count what was loaded after it. */
export async function loadedBatchesByRun(wh: Warehouse): Promise<Record<string, number>> {
  const rows = await wh.rows("select run_id, count(*) as n from meta.batches where status = 'loaded' group by 1 order by 1", {
    run_id: col.int(),
    n: col.int(),
  });
  return Object.fromEntries(rows.map((r) => [String(r.run_id), r.n]));
}

/** The config file the newest run that recorded one used (it may no longer exist). */
export async function lastRecordedConfig(wh: Warehouse): Promise<{ path: string; runId: number } | null> {
  const row = await wh.row('select run_id, config_file from meta.runs where config_file is not null order by run_id desc limit 1', {
    run_id: col.int(),
    config_file: col.text(),
  });
  return row ? { path: row.config_file, runId: row.run_id } : null;
}
