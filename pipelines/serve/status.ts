// `jianguan status`: what was loaded, rejected and failed, per source; the rejects by reason; what is published
// (the snapshot's run and as-of date, which `query` and `lineage` read).
import { archiveDirOf } from '../../schemas/archive-dir.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import { col, type RowOf } from '../../warehouse/columns.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { type Published, readPublished } from '../../warehouse/snapshot.ts';
import { type ResentFile, resentFiles } from '../archive/changes.ts';
import { latestRuns, type RunRow } from './runs.ts';

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
export type SourceStatus = RowOf<typeof SOURCE_STATUS>;

export interface StatusReport {
  sources: SourceStatus[];
  rejects_by_reason: RowOf<typeof REJECTS>[];
  failed_batches: RowOf<typeof FAILED_BATCH>[];
  last_run: RunRow | null;
  /** The published snapshot (meta.published in it): its run, as-of date and time; null when none is. */
  published: Published | null;
  /** The archive of loaded files: on (its folder, entries, sizes) or off (`"archive_dir": false`); `enabled` null without a config. */
  archive: { enabled: boolean | null; dir: string | null; entries: number; bytes: number; stored_bytes: number; pruned: number };
  /** Current versions of files that replaced an earlier loaded version: records added, removed, changed, and the changes. */
  resent_files: ResentFile[];
}

/** `config` (optional): its enabled sources that have no batch at all are listed too, with 0 files. */
/** `all`: every changed value of each re-sent file, not the first 20. */
export async function runStatus(o: { db: string; config?: string; all?: boolean }): Promise<StatusReport> {
  const cfg = o.config ? loadSourcesConfig(o.config) : null;
  const configured = cfg ? cfg.sources.filter((s) => s.enabled) : [];
  const archiveDir = cfg ? archiveDirOf(cfg.file, cfg.archive_dir, o.db) : null;
  const report = await withOpenWarehouse(
    o.db,
    async (wh) => {
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
      const known = new Set(sources.map((s) => s.source_id));
      for (const c of configured) {
        if (known.has(c.id)) continue;
        sources.push({
          source_id: c.id,
          level: c.level,
          region_code: c.region_code,
          department: c.department,
          feed: c.feed,
          files: 0,
          batches_loaded: 0,
          batches_skipped: 0,
          batches_failed: 0,
          rows_read: 0,
          rows_loaded: 0,
          rows_rejected: 0,
          last_loaded_at: null,
        });
      }
      sources.sort((a, b) => (a.source_id < b.source_id ? -1 : a.source_id > b.source_id ? 1 : 0));
      const a = await wh.row(
        `select count(*) filter (where pruned_at is null) as entries, coalesce(sum(bytes) filter (where pruned_at is null), 0) as bytes,
                coalesce(sum(stored_bytes) filter (where pruned_at is null), 0) as stored_bytes, count(*) filter (where pruned_at is not null) as pruned
         from meta.archive`,
        [],
        { entries: col.int(), bytes: col.int(), stored_bytes: col.int(), pruned: col.int() },
      );
      const archive = { enabled: cfg ? archiveDir !== null : null, dir: archiveDir, entries: 0, bytes: 0, stored_bytes: 0, pruned: 0, ...a };
      // the current version of each location that replaced an earlier one
      const resent = await resentFiles(
        wh,
        "b.batch_id = (select max(l.batch_id) from meta.batches l where l.location = b.location and l.status = 'loaded')",
        [],
        o.all ? null : 20,
      );
      return { sources, rejects_by_reason: rejects, failed_batches: failed, last_run: last ?? null, archive, resent_files: resent };
    },
    { readOnly: true },
  );
  return { ...report, published: await readPublished(o.db) };
}
