// What the crash loop asserts: after every kill, the published snapshot is whole and one that was published before
// (or the killed run's own, swapped in before the kill) with exactly that publish's marts; after every completed
// rerun, the warehouse equals a clean run's: per-batch counts, raw/core/mart contents (except all); the tests add
// `verify` (pipelines/verify, which testkit may not import).
import { statSync } from 'node:fs';
import { col } from '../warehouse/columns.ts';
import { compareWarehouses, identical } from '../warehouse/compare.ts';
import { withWarehouse } from '../warehouse/db.ts';
import { readPublished, snapshotPath } from '../warehouse/snapshot.ts';

/** The loaded batches, by location: what a clean run must match file by file. */
export async function batchCounts(db: string) {
  return withWarehouse(
    db,
    (wh) =>
      wh.rows(
        `select location, sha256, rows_read::bigint as rows_read, rows_loaded::bigint as rows_loaded, rows_rejected::bigint as rows_rejected,
                (select count(*) from meta.rejects j where j.batch_id = b.batch_id)::bigint as reject_rows
         from meta.batches b where status = 'loaded' order by location`,
        { location: col.text(), sha256: col.text(), rows_read: col.int(), rows_loaded: col.int(), rows_rejected: col.int(), reject_rows: col.int() },
      ),
    { readOnly: true },
  );
}

/** The differences of `db` from the clean reference `ref` (empty: none). */
export async function divergences(db: string, ref: string): Promise<string[]> {
  const out: string[] = [];
  const [mine, theirs] = [await batchCounts(db), await batchCounts(ref)];
  if (JSON.stringify(mine) !== JSON.stringify(theirs))
    out.push(`batches: ${mine.length} loaded vs ${theirs.length} in the clean run, or counts differ`);
  for (const c of await compareWarehouses(db, ref, ['raw', 'core', 'mart'])) {
    if (!identical(c))
      out.push(
        `${c.table}: ${c.onlyInA} rows only here, ${c.onlyInB} only in the clean run${c.missingFrom ? `, missing from ${c.missingFrom}` : ''}`,
      );
  }
  return out;
}

/** Follows the published snapshot of one warehouse across kills and completions. */
export class SnapshotWatch {
  /** The run that published what is served now, and the clean warehouse its marts must equal. */
  private current: { runId: number; ref: string; stamp: string } | null = null;

  constructor(private readonly db: string) {}

  private stamp(): string {
    const s = statSync(snapshotPath(this.db));
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  }

  /**
   * The snapshot now must be the one served before, or the run `runId`'s (marts equal to `ref`). Returns what is
   * wrong, or null. A changed snapshot is opened and its marts compared; an unchanged file (same inode, size,
   * mtime) is the one already checked.
   */
  async check(runId: number | null, ref: string): Promise<string | null> {
    let published: Awaited<ReturnType<typeof readPublished>>;
    try {
      published = await readPublished(this.db);
    } catch (err) {
      return `the snapshot does not open: ${String(err)}`;
    }
    if (!published) return this.current ? `the snapshot of run ${this.current.runId} is gone` : null;
    if (this.current && published.run_id === this.current.runId) {
      return this.stamp() === this.current.stamp ? null : `the snapshot of run ${published.run_id} changed on disk`;
    }
    if (published.run_id !== runId) return `the snapshot is of run ${published.run_id}, neither the previous (${this.current?.runId}) nor ${runId}`;
    const diff = (await compareWarehouses(snapshotPath(this.db), ref, ['mart'])).filter((c) => !identical(c));
    if (diff.length) return `the snapshot of run ${runId} differs from its clean run in ${diff.map((c) => c.table).join(', ')}`;
    this.current = { runId, ref, stamp: this.stamp() };
    return null;
  }
}
