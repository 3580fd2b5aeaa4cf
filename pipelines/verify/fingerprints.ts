// The tables analysts read against the fingerprints the run kernel recorded (pipelines/audit/fingerprints.ts):
// the warehouse's mart tables against the newest run that fingerprinted them (when only loads ran since:
// anything else may legitimately have rebuilt them), and the published snapshot's against the run that published
// it (its meta.published.run_id), taken from the warehouse's record, not the snapshot's own copy.
import { existsSync } from 'node:fs';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { literal } from '../../warehouse/sql.ts';
import { computeFingerprints, runFingerprints, type TableFingerprint } from '../audit/fingerprints.ts';
import type { Problems } from './problems.ts';

export interface FingerprintSummary {
  /** The run whose fingerprints the warehouse's tables were compared with; null: not compared (why in `note`). */
  warehouse: { run_id: number | null; tables: number; note: string | null };
  snapshot: { run_id: number | null; tables: number; note: string | null };
}

const SNAP = 'jg_verify_snapshot';

function compare(
  recorded: Record<string, TableFingerprint>,
  now: Record<string, TableFingerprint>,
  where: string,
  runId: number,
  kind: 'table-altered' | 'snapshot-altered',
  problems: Problems,
  location: string | null,
): void {
  for (const [table, f] of Object.entries(recorded)) {
    const n = now[table];
    if (!n) problems.add(kind, `${where} ${table}: gone; run ${runId} fingerprinted it (${f.rows} rows)`, { table, location });
    else if (n.sha256 !== f.sha256) {
      problems.add(
        kind,
        `${where} ${table}: ${n.rows} rows fingerprint ${n.sha256.slice(0, 16)}…, run ${runId} recorded ${f.rows} rows ${f.sha256.slice(0, 16)}…: rows were changed since`,
        { table, location },
      );
    }
  }
}

/**
 * The mart tables of the open warehouse against the fingerprints of the newest run that recorded some, and, when
 * `withSnapshot` (the open file is the warehouse, not the snapshot itself), those of its published snapshot too.
 */
export async function checkFingerprints(wh: Warehouse, problems: Problems, withSnapshot = true): Promise<FingerprintSummary> {
  const out: FingerprintSummary = {
    warehouse: { run_id: null, tables: 0, note: null },
    snapshot: { run_id: null, tables: 0, note: null },
  };
  const newest = await wh.row(
    `select f.run_id, (select count(*) from meta.runs r where r.run_id > f.run_id and r.command <> 'load') as later
     from (select max(run_id) as run_id from meta.run_fingerprints) f where f.run_id is not null`,
    { run_id: col.int(), later: col.int() },
  );
  if (!newest) out.warehouse.note = 'no run has fingerprinted the tables yet';
  else if (newest.later > 0) out.warehouse.note = `rebuilt after run ${newest.run_id} by a run that recorded no fingerprints: not compared`;
  else {
    const recorded = await runFingerprints(wh, newest.run_id);
    compare(recorded, await computeFingerprints(wh), 'warehouse', newest.run_id, 'table-altered', problems, null);
    out.warehouse = { run_id: newest.run_id, tables: Object.keys(recorded).length, note: null };
  }
  if (wh.path === ':memory:') return out;
  if (!withSnapshot) {
    out.snapshot.note = 'the file verified is the snapshot (its tables are the ones compared above)';
    return out;
  }
  const snap = snapshotPath(wh.path);
  if (!existsSync(snap)) {
    out.snapshot.note = 'nothing published';
    return out;
  }
  await wh.run(`attach ${literal(snap)} as ${SNAP} (read_only)`);
  try {
    const runId = await wh.scalar(`select max(run_id) from ${SNAP}.meta.published`, col.nullable(col.int()));
    const recorded = runId === null ? {} : await runFingerprints(wh, runId);
    out.snapshot.run_id = runId;
    if (!Object.keys(recorded).length) out.snapshot.note = `run ${runId ?? '?'} that published it recorded no fingerprints: not compared`;
    else {
      compare(recorded, await computeFingerprints(wh, SNAP), 'snapshot', runId as number, 'snapshot-altered', problems, snap);
      out.snapshot.tables = Object.keys(recorded).length;
    }
  } finally {
    await wh.run(`detach ${SNAP}`);
  }
  return out;
}
