// `jianguan runs`: the run history, newest first.
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';

export interface RunRow {
  run_id: number;
  command: string;
  status: string;
  exit_code: number | null;
  started_at: string;
  finished_at: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  batches_failed: number;
  code_version: string;
  config_hash: string | null;
}

export async function runRuns(o: { db: string; limit: number }): Promise<RunRow[]> {
  return withOpenWarehouse(o.db, async (wh) => {
    const rows = await wh.all(
      `select run_id, command, status, exit_code, strftime(started_at, '%Y-%m-%d %H:%M:%S') as started_at,
              strftime(finished_at, '%Y-%m-%d %H:%M:%S') as finished_at, rows_read, rows_loaded, rows_rejected, batches_failed,
              code_version, config_hash
       from meta.runs order by run_id desc limit ?`,
      [o.limit],
    );
    return rows.map((r) => ({
      ...r,
      run_id: Number(r.run_id),
      exit_code: r.exit_code === null ? null : Number(r.exit_code),
      rows_read: Number(r.rows_read ?? 0),
      rows_loaded: Number(r.rows_loaded ?? 0),
      rows_rejected: Number(r.rows_rejected ?? 0),
      batches_failed: Number(r.batches_failed ?? 0),
    })) as RunRow[];
  }, { readOnly: true });
}
