// The archive against the ledger: every loaded batch's content must be in the archive (meta.archive) and its file
// must decompress to bytes whose SHA-256 is the batch's. A missing or altered entry is an error; an entry removed by
// retention (archive_keep_days) and content loaded while the archive was off or before it existed are information.

import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { hashEntry } from '../archive/read.ts';
import type { Problems } from './problems.ts';

export interface ArchiveSummary {
  /** The archive folder the sources config names; null when the config turns it off or no config was known. */
  dir: string | null;
  /** false when the sources config says `"archive_dir": false`. */
  enabled: boolean;
  entries: number;
  ok: number;
  missing: number;
  altered: number;
  pruned: number;
  /** Loaded batches whose content was never archived (loaded while it was off, or before it existed). */
  not_archived: number;
  bytes_checked: number;
}

/** Content hashes with an intact, unpruned archive entry (what makes a landing file's absence no loss). */
export type ArchivedSet = Set<string>;

export async function checkArchive(
  wh: Warehouse,
  o: { dir: string | null; enabled: boolean },
  problems: Problems,
): Promise<{ summary: ArchiveSummary; intact: ArchivedSet }> {
  const rows = await wh.rows(
    `select b.sha256, min(b.batch_id) as batch_id, any_value(b.location) as location, a.path, a.bytes,
            a.pruned_at is not null as pruned, a.sha256 is not null as recorded
     from meta.batches b left join meta.archive a using (sha256)
     where b.status = 'loaded' group by all order by batch_id`,
    {
      sha256: col.text(),
      batch_id: col.int(),
      location: col.text(),
      path: col.nullable(col.text()),
      bytes: col.nullable(col.int()),
      pruned: col.bool(),
      recorded: col.bool(),
    },
  );
  const s: ArchiveSummary = {
    dir: o.dir,
    enabled: o.enabled,
    entries: 0,
    ok: 0,
    missing: 0,
    altered: 0,
    pruned: 0,
    not_archived: 0,
    bytes_checked: 0,
  };
  const intact: ArchivedSet = new Set();
  for (const r of rows) {
    const at = { batch_id: r.batch_id, location: r.location };
    if (!r.recorded || !r.path) {
      s.not_archived++;
      problems.add('archive-absent', `batch ${r.batch_id} (sha256 ${r.sha256}) was loaded while the archive was off or before it existed`, at);
      continue;
    }
    s.entries++;
    if (r.pruned) {
      s.pruned++;
      problems.add('archive-pruned', `${r.path}: removed by retention (archive_keep_days): superseded and old`, at);
      continue;
    }
    const h = await hashEntry(r.path);
    if (!h) {
      s.missing++;
      problems.add('archive-missing', `${r.path}: the archived copy of batch ${r.batch_id} (sha256 ${r.sha256}) is gone`, at);
      continue;
    }
    s.bytes_checked += h.bytes;
    if (h.sha256 !== r.sha256) {
      s.altered++;
      problems.add('archive-altered', `${r.path}: decompresses to sha256 ${h.sha256} (${h.bytes} bytes), batch ${r.batch_id} says ${r.sha256}`, at);
      continue;
    }
    s.ok++;
    intact.add(r.sha256);
  }
  return { summary: s, intact };
}
