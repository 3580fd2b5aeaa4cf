// `jianguan status`: what was loaded, rejected and failed, per source; the rejects by reason.
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';

export interface SourceStatus {
  source_id: string;
  level: string;
  region_code: string;
  department: string;
  feed: string;
  batches_loaded: number;
  batches_skipped: number;
  batches_failed: number;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  last_loaded_at: string | null;
}

export interface StatusReport {
  sources: SourceStatus[];
  rejects_by_reason: { reason_code: string; n: number }[];
  failed_batches: { batch_id: number; source_id: string; location: string; error_code: string; error: string; finished_at: string }[];
  last_run: Record<string, unknown> | null;
}

const num = (v: unknown) => Number(v ?? 0);

export async function runStatus(o: { db: string }): Promise<StatusReport> {
  return withOpenWarehouse(o.db, async (wh) => {
    const sources = (
      await wh.all(`
        select source_id, any_value(level) as level, any_value(region_code) as region_code, any_value(department) as department,
               any_value(feed) as feed,
               count(*) filter (where status = 'loaded') as batches_loaded,
               count(*) filter (where status = 'skipped') as batches_skipped,
               count(*) filter (where status = 'failed') as batches_failed,
               coalesce(sum(rows_read), 0) as rows_read, coalesce(sum(rows_loaded), 0) as rows_loaded,
               coalesce(sum(rows_rejected), 0) as rows_rejected,
               max(finished_at) filter (where status = 'loaded')::varchar as last_loaded_at
        from meta.batches group by source_id order by source_id`)
    ).map((r) => ({
      ...r,
      batches_loaded: num(r.batches_loaded),
      batches_skipped: num(r.batches_skipped),
      batches_failed: num(r.batches_failed),
      rows_read: num(r.rows_read),
      rows_loaded: num(r.rows_loaded),
      rows_rejected: num(r.rows_rejected),
    })) as SourceStatus[];
    const rejects = (await wh.all('select reason_code, count(*) as n from meta.rejects group by 1 order by 2 desc, 1')).map((r) => ({
      reason_code: String(r.reason_code),
      n: num(r.n),
    }));
    // A failed file stays listed until a later batch of the same location loads.
    const failed = (
      await wh.all(`
        select b.batch_id, b.source_id, b.location, b.error_code, b.error, b.finished_at::varchar as finished_at
        from meta.batches b
        where b.status = 'failed'
          and not exists (select 1 from meta.batches l where l.location = b.location and l.status in ('loaded', 'skipped') and l.batch_id > b.batch_id)
          and b.batch_id = (select max(batch_id) from meta.batches f where f.location = b.location and f.status = 'failed')
        order by b.batch_id`)
    ).map((r) => ({ ...r, batch_id: num(r.batch_id) })) as StatusReport['failed_batches'];
    const last = await wh.one(
      'select run_id, command, status, exit_code, started_at::varchar as started_at, finished_at::varchar as finished_at, rows_read, rows_loaded, rows_rejected from meta.runs order by run_id desc limit 1',
    );
    return { sources, rejects_by_reason: rejects, failed_batches: failed, last_run: last ?? null };
  }, { readOnly: true });
}
