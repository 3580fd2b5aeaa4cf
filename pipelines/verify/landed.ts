// Landed files against the ledger: every location a loaded or skipped batch came from is re-hashed and compared
// with the newest batch of that location (a file may legitimately be replaced and loaded again; the older batch is
// then `superseded`, which is reported but is no tampering). Each hash found is recorded with the file's stat
// stamp, so `lineage` can trust it while the file stays untouched.
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { judgeFile, type LedgerFile, latestByLocation, recordCheck } from '../catalog/files.ts';
import type { Problems } from './problems.ts';

export interface LandedSummary {
  files: number;
  ok: number;
  missing: number;
  altered: number;
  superseded: number;
  /** Gone from the landing dir, but kept intact in the archive (information, not a failure). */
  archived: number;
  bytes_hashed: number;
}

/**
 * `record`: store each file's stamp with its hash (meta.file_checks); false when the warehouse is read-only.
 * `archived`: sha256s whose bytes the archive holds intact (a landing file gone but archived is information).
 */
export async function checkLandedFiles(
  wh: Warehouse,
  landingDir: string,
  problems: Problems,
  record = true,
  archived: ReadonlySet<string> = new Set(),
): Promise<LandedSummary> {
  const latest = await latestByLocation(wh);
  // every batch whose content came from a file; failed ones never entered raw, so there is nothing to prove
  const rows: LedgerFile[] = await wh.rows(
    "select batch_id, location, sha256, bytes from meta.batches where status in ('loaded', 'skipped') order by location, batch_id",
    { batch_id: col.int(), location: col.text(), sha256: col.text(), bytes: col.int() },
  );
  const older = new Map<string, LedgerFile[]>();
  for (const f of rows) {
    if (latest.get(f.location)?.batch_id !== f.batch_id) older.set(f.location, [...(older.get(f.location) ?? []), f]);
  }
  const s: LandedSummary = { files: latest.size, ok: 0, missing: 0, altered: 0, superseded: 0, archived: 0, bytes_hashed: 0 };
  const judge = { landingDir, rehash: 'always' as const, recorded: new Map(), latest };
  for (const f of latest.values()) {
    const v = await judgeFile(f, judge);
    const at = { batch_id: f.batch_id, location: f.location };
    if (v.stampNow && v.sha256) {
      s.bytes_hashed += v.stampNow.bytes;
      if (record) await recordCheck(wh, f.location, v.sha256, v.stampNow);
    }
    if (v.state === 'ok') s.ok++;
    else if (v.state === 'missing' && archived.has(f.sha256)) {
      s.archived++;
      problems.add('file-archived', `${v.path}: loaded as batch ${f.batch_id}, no longer there; its bytes are intact in the archive`, at);
    } else if (v.state === 'missing') {
      s.missing++;
      problems.add('file-missing', `${v.path}: loaded as batch ${f.batch_id} (sha256 ${f.sha256}), no longer there`, at);
    } else if (v.state === 'unreadable') problems.add('file-unreadable', `${v.path}: cannot be read`, at);
    else {
      s.altered++;
      problems.add(
        'file-altered',
        `${v.path}: sha256 ${v.sha256} (${v.bytes} bytes), ledger batch ${f.batch_id} says ${f.sha256} (${f.bytes} bytes)`,
        at,
      );
    }
    if (v.state !== 'ok') continue;
    for (const o of older.get(f.location) ?? []) {
      if (o.sha256 === f.sha256) continue;
      s.superseded++;
      problems.add(
        'file-superseded',
        `${f.location}: batch ${o.batch_id} was loaded from an earlier version (sha256 ${o.sha256}); the file now holds batch ${f.batch_id}'s content`,
        {
          batch_id: o.batch_id,
          location: o.location,
        },
      );
    }
  }
  return s;
}
