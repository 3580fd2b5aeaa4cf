// init, load, status: creating the warehouse and loading landing files into it.
import { table } from '../../lib/format.ts';
import type { LoadResult } from '../../pipelines/ingest/load.ts';
import { configFor, requiredConfig } from './config-choice.ts';
import { type Ctx, isoDate, lazy, memorySize, positiveInt, print, progressFor, readerLines } from './shared.ts';

export function loadSummary(r: LoadResult): string {
  const bySource = new Map<
    string,
    { files: number; loaded: number; unchanged: number; failed: number; read: number; rows: number; rejected: number }
  >();
  for (const f of r.files) {
    const s = bySource.get(f.sourceId) ?? { files: 0, loaded: 0, unchanged: 0, failed: 0, read: 0, rows: 0, rejected: 0 };
    s.files++;
    if (f.status === 'loaded') s.loaded++;
    else if (f.status === 'failed') s.failed++;
    else s.unchanged++;
    s.read += f.rowsRead;
    s.rows += f.rowsLoaded;
    s.rejected += f.rowsRejected;
    bySource.set(f.sourceId, s);
  }
  for (const e of r.emptySources ?? []) {
    if (!bySource.has(e.sourceId)) bySource.set(e.sourceId, { files: 0, loaded: 0, unchanged: 0, failed: 0, read: 0, rows: 0, rejected: 0 });
  }
  const rows = [...bySource].map(([id, s]) => [id, s.files, s.loaded, s.unchanged, s.failed, s.read, s.rows, s.rejected]);
  const t = r.totals;
  const unchanged = t.filesSeen - t.batchesLoaded - t.batchesSkipped - t.batchesFailed;
  return [
    table(['source', 'files', 'new', 'known', 'failed', 'records read', 'loaded', 'rejected'], rows),
    '',
    `run ${r.runId}: ${t.filesSeen} files: ${t.batchesLoaded} loaded, ${t.batchesSkipped} skipped (same content under another name), ` +
      `${unchanged} unchanged, ${t.batchesFailed} failed; ${t.rowsRead} records read = ${t.rowsLoaded} loaded + ${t.rowsRejected} rejected`,
    ...r.files.filter((f) => f.status === 'failed').map((f) => `FAILED ${f.location}: [${f.errorCode}] ${f.error}`),
    ...(r.emptySources ?? []).map((e) => `WARNING source ${e.sourceId}: its path ${e.path} matches no file (a silent feed, or a wrong path)`),
    ...archiveLines(r),
    ...(t.rowsRejected ? ['rejected records: `jianguan status` (by reason) and table meta.rejects (file, line, field, message)'] : []),
  ].join('\n');
}

function archiveLines(r: LoadResult): string[] {
  const a = r.archive;
  if (!a) return [];
  if (!a.dir) return ['archive: off ("archive_dir": false): loaded files are not kept'];
  return [
    `archive: ${a.archived} new entries under ${a.dir}${a.pruned.length ? `; ${a.pruned.length} pruned by retention (archive_keep_days)` : ''}`,
    ...a.pruned.map((p) => `  pruned ${p.path} (${p.locations.join(', ')})`),
  ];
}

export function registerLoadCommands(ctx: Ctx): void {
  const { program, g, getLog } = ctx;
  program
    .command('init')
    .description('create the warehouse and its tables (idempotent)')
    .action(async () => {
      const { runInit } = await lazy.init();
      const r = await runInit({ db: g().db });
      print(g().json, r, () => `warehouse ${r.db} ready: ${r.tables.length} tables`);
    });

  program
    .command('load')
    .description('ingest new landing files into raw tables, rejects and the batch ledger')
    .option('--source <id...>', 'only these source ids')
    .option('--date <date>', 'only files whose path contains this date (YYYY-MM-DD or YYYYMMDD)', isoDate('--date', { compact: true }))
    .option('--concurrency <n>', 'files fingerprinted and parsed at once', positiveInt('--concurrency', 2), 2)
    .option(
      '--part-records <n>',
      'records per DuckDB statement within a file, memory vs. speed (default: 300000)',
      positiveInt('--part-records', 100000),
    )
    .option('--memory-limit <size>', "DuckDB's buffer pool limit while loading (default: 384MB)", memorySize('--memory-limit', '512MB'))
    .action(async (opts: { source?: string[]; date?: string; concurrency: number; partRecords?: number; memoryLimit?: string }) => {
      const { runLoad } = await lazy.load();
      const { bar, onProgress } = progressFor();
      const r = await runLoad({
        db: g().db,
        config: await requiredConfig(ctx),
        sources: opts.source,
        date: opts.date,
        concurrency: opts.concurrency,
        partRecords: opts.partRecords,
        memoryLimit: opts.memoryLimit,
        log: getLog(g().logLevel),
        onProgress,
      });
      bar.done();
      print(g().json, r, () => loadSummary(r));
      process.exitCode = r.exitCode;
    });

  program
    .command('status')
    .description(
      'what was loaded, rejected and failed, per source; the archive; what changed in re-sent files (from the status document the writer keeps)',
    )
    .option('--live', 'read the warehouse itself, not the status document (a run starting meanwhile exits 75)', false)
    .option('--all', 'every changed value of each re-sent file (default: the first 20; needs --live)', false)
    .action(async (opts: { live: boolean; all: boolean }) => {
      const [{ runStatus }, { formatResent }] = await Promise.all([lazy.status(), import('../../pipelines/archive/changes.ts')]);
      const r = await runStatus({ db: g().db, config: (await configFor(ctx, opts.live ? g().db : undefined)).path, live: opts.live, all: opts.all });
      print(g().json, r, () =>
        [
          ...(r.run_in_progress || r.note ? [...readerLines(r), ''] : []),
          table(
            ['source', 'level', 'region', 'feed', 'files', 'loaded', 'skipped', 'failed', 'read', 'rows loaded', 'rejected'],
            r.sources.map((s) => [
              s.source_id,
              s.level,
              s.region_code,
              s.feed,
              s.files,
              s.batches_loaded,
              s.batches_skipped,
              s.batches_failed,
              s.rows_read,
              s.rows_loaded,
              s.rows_rejected,
            ]),
          ),
          ...(r.sources.some((s) => s.files === 0)
            ? [
                '',
                `no file found yet for: ${r.sources
                  .filter((s) => s.files === 0)
                  .map((s) => s.source_id)
                  .join(', ')} (check their \`path\`)`,
              ]
            : []),
          '',
          'rejects by reason:',
          r.rejects_by_reason.length
            ? table(
                ['reason', 'records'],
                r.rejects_by_reason.map((x) => [x.reason_code, x.n]),
              )
            : '  none',
          ...(r.failed_batches.length
            ? [
                '',
                'failed files (fix them and load again):',
                ...r.failed_batches.map((f) => `  batch ${f.batch_id} ${f.location}: [${f.error_code}] ${f.error}`),
              ]
            : []),
          '',
          r.archive.enabled === false
            ? 'archive: OFF ("archive_dir": false): re-sent or deleted files cannot be recovered'
            : `archive: ${r.archive.entries} files${r.archive.dir ? ` under ${r.archive.dir}` : ''}, ${(r.archive.bytes / 2 ** 20).toFixed(1)} MiB stored as ${(r.archive.stored_bytes / 2 ** 20).toFixed(1)} MiB gzip${r.archive.pruned ? `; ${r.archive.pruned} pruned by retention` : ''}`,
          ...(r.resent_files.length ? ['', ...formatResent(r.resent_files)] : []),
          '',
          r.published
            ? `published: as of ${r.published.as_of ?? 'an unknown date'} by run ${r.published.run_id} at ${r.published.published_at} (what \`query\` and \`lineage\` read)`
            : 'published: nothing yet (`query` needs a run whose transform and checks pass)',
          r.read_from === 'status-document'
            ? `(as the writer recorded it at ${r.written_at}; \`status --live\` reads the warehouse)`
            : '(read live from the warehouse)',
        ].join('\n'),
      );
    });
}
