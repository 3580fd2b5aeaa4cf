// What `status` adds to the warehouse's own status (warehouse/run-status.ts) from the archive: the archive's size
// and what changed in re-sent files. The writer computes it with the rest for the status document.
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { type WarehouseStatus, warehouseStatus } from '../../warehouse/run-status.ts';
import { type ResentFile, resentFiles } from './changes.ts';

export interface ArchiveStatus {
  /** On or off (`"archive_dir": false`); null when no config was known (filled in by the reader). */
  enabled: boolean | null;
  dir: string | null;
  entries: number;
  bytes: number;
  stored_bytes: number;
  pruned: number;
}

export interface FullStatus extends WarehouseStatus {
  archive: ArchiveStatus;
  /** Current versions of files that replaced an earlier loaded version: records added, removed, changed, and the changes. */
  resent_files: ResentFile[];
}

/** Changed values listed per re-sent file unless every one is asked for. */
export const RESENT_SHOWN = 20;

export async function fullStatus(wh: Warehouse, all = false): Promise<FullStatus> {
  const base = await warehouseStatus(wh);
  const a = await wh.row(
    `select count(*) filter (where pruned_at is null) as entries, coalesce(sum(bytes) filter (where pruned_at is null), 0) as bytes,
            coalesce(sum(stored_bytes) filter (where pruned_at is null), 0) as stored_bytes, count(*) filter (where pruned_at is not null) as pruned
     from meta.archive`,
    [],
    { entries: col.int(), bytes: col.int(), stored_bytes: col.int(), pruned: col.int() },
  );
  const archive = { enabled: null, dir: null, entries: 0, bytes: 0, stored_bytes: 0, pruned: 0, ...a };
  // the current version of each location that replaced an earlier one
  const resent = await resentFiles(
    wh,
    "b.batch_id = (select max(l.batch_id) from meta.batches l where l.location = b.location and l.status = 'loaded')",
    [],
    all ? null : RESENT_SHOWN,
  );
  return { ...base, archive, resent_files: resent };
}
