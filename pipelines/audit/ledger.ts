// meta.runs and meta.batches: the ledger every load writes and every audit reads.
import { hostname } from 'node:os';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident } from '../../warehouse/sql.ts';

export type BatchStatus = 'loaded' | 'skipped' | 'failed';

export interface BatchRow {
  batchId: number;
  runId: number;
  sourceId: string;
  level: string;
  regionCode: string;
  department: string;
  feed: string;
  connector: string;
  location: string;
  sha256: string;
  bytes: number;
  encoding: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsWarned: number;
  status: BatchStatus;
  errorCode: string | null;
  error: string | null;
  duplicateOf: number | null;
  startedAt: Date;
  finishedAt: Date;
  /** When its contents became known (YYYY-MM-DD; sources[].known_on); null only for a file that failed before it was dated. */
  knownOn: string | null;
}

/**
 * The next batch id: one more than the highest recorded. Call it inside the transaction that inserts the batch's
 * row (the load has one writer): a batch that is rolled back or killed before its commit leaves no trace, not even
 * a skipped id, so batch ids are the same as a clean run's. (meta.batch_seq is no longer used: a `nextval` is kept
 * by a kill before the commit.)
 */
export async function nextBatchId(tx: Warehouse): Promise<number> {
  return (await tx.scalarNumber('select coalesce(max(batch_id), 0) + 1 from meta.batches')) as number;
}

/** Inserts the batch row `row(id)` under the next batch id, taken in the same transaction; that id. */
export async function insertNextBatch(wh: Warehouse, row: (batchId: number) => BatchRow): Promise<number> {
  return wh.transaction(async (tx) => {
    const id = await nextBatchId(tx);
    await insertBatch(tx, row(id));
    return id;
  });
}

export async function insertBatch(wh: Warehouse, b: BatchRow): Promise<void> {
  await wh.run(
    `insert into meta.batches (batch_id, run_id, source_id, level, region_code, department, feed, connector, location,
       sha256, bytes, encoding, rows_read, rows_loaded, rows_rejected, rows_warned, status, error_code, error, duplicate_of,
       started_at, finished_at, known_on)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21::timestamptz, $22::timestamptz,
       $23::date)`,
    [
      b.batchId,
      b.runId,
      b.sourceId,
      b.level,
      b.regionCode,
      b.department,
      b.feed,
      b.connector,
      b.location,
      b.sha256,
      b.bytes,
      b.encoding,
      b.rowsRead,
      b.rowsLoaded,
      b.rowsRejected,
      b.rowsWarned,
      b.status,
      b.errorCode,
      b.error,
      b.duplicateOf,
      b.startedAt.toISOString(),
      b.finishedAt.toISOString(),
      b.knownOn,
    ],
  );
}

/** The loaded batch holding this content, if any (exactly-once by content, whatever the file name). */
export async function loadedBatchWithContent(wh: Warehouse, sha256: string): Promise<{ batchId: number; location: string } | null> {
  const row = await wh.one("select batch_id, location from meta.batches where sha256 = ? and status = 'loaded' order by batch_id limit 1", [sha256]);
  return row ? { batchId: Number(row.batch_id), location: String(row.location) } : null;
}

/** True when this exact file (name and content) is already in the ledger as loaded or skipped. */
export async function alreadyRecorded(wh: Warehouse, location: string, sha256: string): Promise<boolean> {
  const n = await wh.scalarNumber("select count(*) from meta.batches where location = ? and sha256 = ? and status in ('loaded', 'skipped')", [
    location,
    sha256,
  ]);
  return n > 0;
}

export async function startRun(
  wh: Warehouse,
  r: { command: string; args: unknown; configFile: string | null; configHash: string | null; codeVersion: string },
): Promise<number> {
  // Only one process can hold the file for writing, so a run still marked running was killed mid-way.
  await wh.run("update meta.runs set status = 'abandoned', finished_at = now() where status = 'running'");
  const runId = await wh.scalarNumber("select nextval('meta.run_seq')");
  await wh.run(
    `insert into meta.runs (run_id, command, args, started_at, status, config_file, config_hash, code_version, pid, host)
     values (?, ?, ?, now(), 'running', ?, ?, ?, ?, ?)`,
    [runId, r.command, JSON.stringify(r.args), r.configFile, r.configHash, r.codeVersion, process.pid, hostname()],
  );
  return runId;
}

export interface RunTotals {
  filesSeen: number;
  batchesLoaded: number;
  batchesSkipped: number;
  batchesFailed: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
}

export async function finishRun(
  wh: Warehouse,
  runId: number,
  status: 'succeeded' | 'partial' | 'failed',
  exitCode: number,
  t: RunTotals,
  error: string | null = null,
  /** Another attached database holding a copy of the ledger (the snapshot being published), else this one. */
  catalog?: string,
): Promise<void> {
  await wh.run(
    `update ${catalog ? `${ident(catalog)}.` : ''}meta.runs set finished_at = now(), status = ?, exit_code = ?, files_seen = ?, batches_loaded = ?,
       batches_skipped = ?, batches_failed = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?, error = ?
     where run_id = ?`,
    [status, exitCode, t.filesSeen, t.batchesLoaded, t.batchesSkipped, t.batchesFailed, t.rowsRead, t.rowsLoaded, t.rowsRejected, error, runId],
  );
}
