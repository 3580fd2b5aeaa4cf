// Retention (archive_keep_days): at the end of `load` and `run`, an archived file is removed when every batch that
// references its content is older than that many days AND superseded by a later version of its location; the
// current version of a location is never pruned. The row stays, with pruned_at set (committed before the file is
// removed: a crash between leaves an unreferenced file, never a row pointing at nothing unmarked).
import { rm } from 'node:fs/promises';
import type { Logger } from '../../lib/log.ts';
import { col, type RowOf } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';

const PRUNED = { sha256: col.text(), path: col.text(), stored_bytes: col.int(), locations: col.list(col.text()) };
export type PrunedEntry = RowOf<typeof PRUNED>;

export async function pruneArchive(wh: Warehouse, keepDays: number, log: Logger): Promise<PrunedEntry[]> {
  const due = await wh.rows(
    `with latest as (
       select location, max(batch_id) as batch_id from meta.batches where status in ('loaded', 'skipped') group by location),
     refs as (
       select b.sha256, b.location, b.finished_at, b.batch_id = l.batch_id as current
       from meta.batches b join latest l using (location) where b.status in ('loaded', 'skipped'))
     select a.sha256, a.path, a.stored_bytes, list(distinct r.location order by r.location) as locations
     from meta.archive a join refs r using (sha256)
     where a.pruned_at is null
     group by all
     having not bool_or(r.current) and max(r.finished_at) < now() - to_days(?::integer)
     order by a.sha256`,
    [keepDays],
    PRUNED,
  );
  for (const e of due) {
    await wh.run('update meta.archive set pruned_at = now() where sha256 = ?', [e.sha256]);
    await rm(e.path, { force: true });
    log.info(
      { sha256: e.sha256, path: e.path, locations: e.locations, stored_bytes: e.stored_bytes },
      `archive: pruned ${e.path} (${e.locations.join(', ')}: superseded, older than ${keepDays} days)`,
    );
  }
  return due;
}
