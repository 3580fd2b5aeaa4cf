// `jianguan load`: find new landing files of every configured source and load each as one batch.
// Files are fingerprinted and scanned concurrently (p-queue); DuckDB has one writer, this process.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import { connectorFor, type Fingerprint, type Scanned } from '../../connectors/registry.ts';
import { asJianguanError, errorMessage, FileRejectedError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { FEEDS } from '../../schemas/feeds/index.ts';
import type { SourcesConfig } from '../../schemas/sources-config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { recordVersionChanges, type VersionDiff } from '../archive/changes.ts';
import type { PendingEntry } from '../archive/store.ts';
import { alreadyRecorded, type BatchRow, insertBatch, insertNextBatch, loadedBatchWithContent, nextBatchId } from '../audit/ledger.ts';
import { recordCheck } from '../catalog/files.ts';
import { ArchiveStep } from './archive-step.ts';
import { knownOn } from './known-on.ts';
import { emptyTotals, type FileOutcome, type LoadResult, outcome } from './outcome.ts';
import { injectBatchFault, injectFileChange, isWarehouseFailure, LoadStopped, PART_DIR, removeLeftoverParts } from './parts.ts';
import { type Planned, planFiles, scratchDir } from './plan.ts';

export type { FileOutcome, LoadResult } from './outcome.ts';
export { planFiles } from './plan.ts';

/**
 * Records per DuckDB statement, and DuckDB's buffer pool while loading: fewer, larger statements are faster, and
 * these two keep peak RSS near 830 MiB on a 2 GiB file (a part is held once, materialised, while it is inserted).
 */
export const DEFAULT_PART_RECORDS = 300_000;
export const DEFAULT_MEMORY_LIMIT = '384MB';

export interface LoadOptions {
  db: string;
  config: string;
  sources?: string[];
  /** Only files whose path contains this date (YYYY-MM-DD or YYYYMMDD). */
  date?: string;
  log: Logger;
  concurrency?: number;
  partRecords?: number;
  memoryLimit?: string;
  onProgress?: (p: { filesDone: number; files: number; records: number }) => void;
}

/** Loads every planned file of `cfg` into an open warehouse under run `runId` (also used by `run`). */
export async function loadFiles(wh: Warehouse, cfg: SourcesConfig, runId: number, o: LoadOptions, log: Logger): Promise<LoadResult> {
  const { files: planned, empty } = await planFiles(cfg, o.sources, o.date);
  await removeLeftoverParts(scratchDir(), log);
  const emptySources = empty.map((s) => ({ sourceId: s.id, path: s.path }));
  for (const s of empty) {
    log.warn(
      { source: s.id, path: s.path, landing_dir: cfg.landingDir },
      `source ${s.id}: its path ${s.path} matches no file under ${cfg.landingDir}`,
    );
  }
  // Raw rows carry their record number; the order they are stored in means nothing, and keeping it costs speed.
  await wh.run('set preserve_insertion_order = false');
  const totals = emptyTotals();
  totals.filesSeen = planned.length;
  const files: FileOutcome[] = [];
  const readers = new PQueue({ concurrency: o.concurrency ?? 2 });
  // One writer, taking files in plan order (whichever finished reading first): batch ids and exactly-once
  // decisions between identical files are then the same on every run.
  const turns = planned.map(() => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  });
  // The first error that escapes a file stops the load: no file task starts after it, no file is written after it
  // (each waits for its turn, then gives up), and every task already started settles before the load returns, so
  // the kernel closes the connection only once nothing uses it.
  let stopped: { err: unknown } | null = null;
  const stop = (err: unknown, p: Planned) => {
    if (stopped || err instanceof LoadStopped) return;
    stopped = { err };
    log.error({ file: p.location, code: asJianguanError(err).code }, `load stopped: ${errorMessage(err)}`);
    readers.clear();
  };
  const inTurn = async <T>(k: number, fn: () => Promise<T>): Promise<T> => {
    if (k > 0) await turns[k - 1]!.promise;
    try {
      if (stopped) throw new LoadStopped();
      return await fn();
    } catch (err) {
      // stopped before the next file's turn begins: no file is written after a failed one
      stop(err, planned[k]!);
      throw err;
    } finally {
      turns[k]!.resolve();
    }
  };
  const seenInRun = new Map<string, number>();
  const loadedHashes = new Set((await wh.all("select distinct sha256 from meta.batches where status = 'loaded'")).map((r) => String(r.sha256)));
  const archive = await ArchiveStep.open(wh, cfg, o.db);
  let records = 0;
  let filesDone = 0;
  let batchWrites = 0;
  const record = (f: FileOutcome) => {
    files.push(f);
    filesDone++;
    if (f.status === 'loaded') totals.batchesLoaded++;
    else if (f.status === 'skipped') totals.batchesSkipped++;
    else if (f.status === 'failed') totals.batchesFailed++;
    totals.rowsRead += f.rowsRead;
    totals.rowsLoaded += f.rowsLoaded;
    totals.rowsRejected += f.rowsRejected;
    o.onProgress?.({ filesDone, files: planned.length, records });
  };

  const connector = (p: Planned) => connectorFor(p.source.connector);

  const handleFile = async (p: Planned, k: number) => {
    const feed = FEEDS[p.source.feed];
    const flog = log.child({ source: p.source.id, file: p.location });
    const startedAt = new Date();
    const dated = knownOn(p.source, p.location, startedAt);
    const base = (fp: Fingerprint | null, batchId: number): BatchRow => ({
      batchId,
      runId,
      sourceId: p.source.id,
      level: p.source.level,
      regionCode: p.source.region_code,
      department: p.source.department,
      feed: p.source.feed,
      connector: p.source.connector,
      location: p.location,
      sha256: fp?.sha256 ?? '',
      bytes: fp?.bytes ?? 0,
      encoding: fp?.encoding ?? null,
      rowsRead: 0,
      rowsLoaded: 0,
      rowsRejected: 0,
      rowsWarned: 0,
      status: 'failed',
      errorCode: null,
      error: null,
      duplicateOf: null,
      startedAt,
      finishedAt: startedAt,
      knownOn: dated,
    });
    if (dated === null) {
      await inTurn(k, async () => {
        const msg = `${p.location}: source ${p.source.id} dates its files by their path (known_on: path), and this path has no date (YYYYMMDD, YYYY-MM-DD or YYYY_MM_DD)`;
        const batchId = await insertNextBatch(wh, (id) => ({ ...base(null, id), errorCode: 'known-on-missing', error: msg, finishedAt: new Date() }));
        flog.error({ batch: batchId, code: 'known-on-missing' }, msg);
        record(outcome(p, 'failed', batchId, 'known-on-missing', msg));
      });
      return;
    }
    let fp: Fingerprint | null = null;
    // the archive gets the very bytes that are hashed here
    const tee = await archive.teeFor(p);
    let pending: PendingEntry | null = null;
    try {
      fp = injectFileChange(k + 1, p.path, await connector(p).fingerprint(p.path, p.source, tee ? (c) => tee.write(c) : undefined));
      pending = tee ? await tee.finish() : null;
    } catch (err) {
      await tee?.discard();
      await inTurn(k, async () => {
        const msg = `${p.location}: cannot read file: ${errorMessage(err)}`;
        const batchId = await insertNextBatch(wh, (id) => ({ ...base(null, id), errorCode: 'io-error', error: msg, finishedAt: new Date() }));
        flog.error({ batch: batchId, code: 'io-error' }, msg);
        record(outcome(p, 'failed', batchId, 'io-error', msg));
      });
      return;
    }
    const fpx = fp;
    // Scan ahead of the writer unless the content is known to be loaded already.
    const known = loadedHashes.has(fpx.sha256) || seenInRun.has(fpx.sha256);
    if (stopped) return;
    const tmpDir = known ? null : await mkdtemp(join(scratchDir(), `${PART_DIR}${process.pid}-`));
    const scanned = tmpDir
      ? connector(p).scan({
          source: p.source,
          feed,
          path: p.path,
          label: p.location,
          fingerprint: fpx,
          tmpDir,
          partRecords: o.partRecords ?? DEFAULT_PART_RECORDS,
          log: flog,
        })
      : null;
    try {
      await inTurn(k, () => writeFile(p, fpx, scanned, base, flog, pending));
    } finally {
      await tee?.discard();
      await scanned?.close().catch(() => undefined);
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
    }
  };

  const writeFile = async (
    p: Planned,
    fpx: Fingerprint,
    scanned: Scanned | null,
    base: (fp: Fingerprint | null, batchId: number) => BatchRow,
    flog: Logger,
    pending: PendingEntry | null,
  ) => {
    // Exactly-once by content: the same bytes under any name, in this run or an earlier one, load once.
    const prior = (await loadedBatchWithContent(wh, fpx.sha256))?.batchId ?? seenInRun.get(fpx.sha256) ?? null;
    if (prior !== null || !scanned) {
      // the hash just taken holds while the file keeps its stamp: lineage can trust it without re-reading
      await recordCheck(wh, p.location, fpx.sha256, fpx.stamp);
      if (prior !== null) await archive.keepLoaded(wh, pending, fpx.sha256);
      if (prior === null || (await alreadyRecorded(wh, p.location, fpx.sha256))) {
        record(outcome(p, 'unchanged', null));
        return;
      }
      const batchId = await insertNextBatch(wh, (id) => ({ ...base(fpx, id), status: 'skipped', duplicateOf: prior, finishedAt: new Date() }));
      flog.info({ batch: batchId, duplicate_of: prior }, 'content already loaded: skipped');
      record(outcome(p, 'skipped', batchId));
      return;
    }
    // the id is taken inside the batch's transaction: a batch rolled back or killed before its commit leaves no gap
    let batchId = 0;
    let diff: VersionDiff | null = null;
    const write = ++batchWrites;
    try {
      const counts = await wh.transaction(async (tx) => {
        batchId = await nextBatchId(tx);
        const c = await connector(p).load(tx, scanned, batchId, (n) => {
          records += n;
          o.onProgress?.({ filesDone, files: planned.length, records });
        });
        await insertBatch(tx, { ...base(fpx, batchId), ...c, status: 'loaded', finishedAt: new Date() });
        await recordCheck(tx, p.location, fpx.sha256, fpx.stamp);
        await archive.commit(tx, pending, fpx.sha256);
        diff = await recordVersionChanges(tx, FEEDS[p.source.feed], p.location, batchId);
        injectBatchFault(write);
        return c;
      });
      archive.committed(fpx.sha256);
      const blog = flog.child({ batch: batchId });
      seenInRun.set(fpx.sha256, batchId);
      blog.info({ rows_read: counts.rowsRead, rows_loaded: counts.rowsLoaded, rows_rejected: counts.rowsRejected }, 'batch loaded');
      const d = diff as VersionDiff | null;
      if (d) blog.info({ ...d }, `re-sent file: ${d.records_added} added, ${d.records_removed} removed, ${d.records_changed} changed`);
      const { rowHashAlg: _alg, rowDigest: _digest, ...shown } = counts;
      record({ ...outcome(p, 'loaded', batchId), ...shown });
    } catch (err) {
      // the warehouse cannot be written (full disk, …): rolled back, nothing of the batch is kept; the load stops
      if (!(err instanceof FileRejectedError) && isWarehouseFailure(err)) throw err;
      const code = err instanceof FileRejectedError ? err.code : 'load-error';
      const msg = err instanceof FileRejectedError ? err.message : `${p.location}: ${errorMessage(err)}`;
      // the failed batch is recorded under the id the rolled-back one had (the same as a clean run's)
      batchId = await insertNextBatch(wh, (id) => ({ ...base(fpx, id), errorCode: code, error: msg, finishedAt: new Date() }));
      const blog = flog.child({ batch: batchId });
      if (!(err instanceof FileRejectedError)) blog.error({ err }, 'batch failed while writing');
      blog.error({ code }, msg);
      record(outcome(p, 'failed', batchId, code, msg));
    }
  };

  const task = async (p: Planned, k: number) => {
    // a task that stops before its turn (or starts after a stop) still hands the turn on
    await (stopped ? Promise.resolve() : handleFile(p, k)).catch((err: unknown) => stop(err, p)).finally(() => turns[k]!.resolve());
  };
  // every task settles (none rejects); tasks cleared from the queue after a stop never run and are not waited for
  for (const [k, p] of planned.entries()) void readers.add(() => task(p, k));
  await readers.onIdle();
  const failure = stopped as { err: unknown } | null;
  try {
    await wh.run('reset preserve_insertion_order');
  } catch (err) {
    if (!failure) throw err;
  }
  if (failure) throw failure.err;
  await archive.prune(wh, log);
  files.sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
  return { runId, files, emptySources, totals, archive: archive.summary, exitCode: totals.batchesFailed ? 3 : 0 };
}
