// `jianguan run`: the nightly job in one process and one meta.runs row: load every new landing file, transform
// staging → core → marts, then check across models. The exit code says what happened (DESIGN.md): 0 all well,
// 3 some files failed and were quarantined (the rest loaded and transformed), 1 the transform or a check failed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorMessage, JianguanError, UsageError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { codeVersion } from '../../lib/version.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import { finishRun, type RunTotals, startRun } from '../audit/ledger.ts';
import { DEFAULT_MEMORY_LIMIT, type LoadResult, loadFiles } from '../ingest/load.ts';
import type { RiskConfig } from '../transform/risk-config.ts';
import { publishSnapshot } from '../../warehouse/snapshot.ts';
import { runAudit } from '../audit/manifest-hooks.ts';
import { openWarehouse, restoreDefaultMemoryLimit } from '../../warehouse/schema/open.ts';
import { runTransform, type TransformResult, todayInChina } from '../transform/transform.ts';
import { type RunCheck, runIntegrityChecks } from '../transform/checks.ts';

export interface NightlyOptions {
  db: string;
  config: string;
  /** Load only files of this day (YYYY-MM-DD); also the default as-of date. */
  date?: string;
  /** A backfill: each day from..to (inclusive) is loaded in turn, then one transform runs as of `to`. */
  from?: string;
  to?: string;
  /** The date the risk tables describe; default `date`, `to`, or today in China. */
  asOf?: string;
  log: Logger;
  riskConfig?: RiskConfig;
  /** Only for tests: a scratch sql/ directory. */
  sqlDir?: string;
  onProgress?: (p: { filesDone: number; files: number; records: number }) => void;
  /** JSON-lines file the run appends its OpenLineage events to. */
  openLineage?: string;
}

export interface NightlyResult {
  runId: number;
  exitCode: 0 | 1 | 3;
  status: 'succeeded' | 'partial' | 'failed';
  asOf: string;
  load: LoadResult[];
  transform: TransformResult | null;
  checks: RunCheck[];
  error: { code: string; message: string; model?: string } | null;
}

/** The days a run covers: one `date`, a `from`..`to` range, or every file (no filter). */
export function runDays(o: Pick<NightlyOptions, 'date' | 'from' | 'to'>): (string | undefined)[] {
  if (o.date && (o.from || o.to)) throw new UsageError('run: give --date or --from/--to, not both');
  if (!o.from && !o.to) return [o.date];
  if (!o.from || !o.to) throw new UsageError('run: --from and --to go together');
  const day = (s: string) => {
    const d = new Date(`${s}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) throw new UsageError(`run: ${s} is not a date YYYY-MM-DD`);
    return d;
  };
  const days: string[] = [];
  for (let d = day(o.from); d <= day(o.to); d = new Date(d.getTime() + 86_400_000)) days.push(d.toISOString().slice(0, 10));
  if (!days.length) throw new UsageError(`run: --from ${o.from} is after --to ${o.to}`);
  if (days.length > 366) throw new UsageError('run: a backfill covers at most 366 days per run');
  return days;
}

function sumTotals(loads: readonly LoadResult[]): RunTotals {
  const t: RunTotals = { filesSeen: 0, batchesLoaded: 0, batchesSkipped: 0, batchesFailed: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
  for (const l of loads) for (const k of Object.keys(t) as (keyof RunTotals)[]) t[k] += l.totals[k];
  return t;
}

export async function runNightly(o: NightlyOptions): Promise<NightlyResult> {
  const days = runDays(o);
  const asOf = o.asOf ?? o.date ?? o.to ?? todayInChina();
  const cfg = loadSourcesConfig(o.config);
  const configHash = createHash('sha256').update(readFileSync(o.config)).digest('hex');
  // Loading with the bounded buffer pool of `load` (set at open: lowering it later does not bound RSS); the
  // transform then gets DuckDB's default back (restoreDefaultMemoryLimit).
  const wh = await openWarehouse(o.db, { memoryLimit: DEFAULT_MEMORY_LIMIT });
  try {
    const runId = await startRun(wh, {
      command: 'run',
      args: { date: o.date ?? null, from: o.from ?? null, to: o.to ?? null, as_of: asOf },
      configFile: o.config,
      configHash,
      codeVersion: codeVersion(),
    });
    const log = o.log.child({ run: runId });
    const audit = runAudit(wh, { db: o.db, runId, command: 'run', landingDir: cfg.landingDir, openLineage: o.openLineage ?? null, sqlDir: o.sqlDir });
    await audit.started();
    const load: LoadResult[] = [];
    const result = (r: Omit<NightlyResult, 'runId' | 'asOf' | 'load'>): NightlyResult => ({ runId, asOf, load, ...r });
    try {
      for (const date of days) {
        const step = log.child({ step: 'load', ...(date ? { date } : {}) });
        load.push(await loadFiles(wh, cfg, runId, { db: o.db, config: o.config, date, log: step, onProgress: o.onProgress }, step));
      }
      await restoreDefaultMemoryLimit(wh);
      const transform = await runTransform(wh, { log, runId, asOf, riskConfig: o.riskConfig, sqlDir: o.sqlDir });
      const checks = await runIntegrityChecks(wh, runId);
      const failed = checks.filter((c) => !c.passed);
      const totals = sumTotals(load);
      if (failed.length) {
        const message = failed.map((c) => `${c.model} ${c.check}: ${c.details}`).join('; ');
        log.error({ code: 'check-failed', failed: failed.length }, message);
        await finishRun(wh, runId, 'failed', 1, totals, message);
        await audit.finished('FAIL', message);
        return result({ exitCode: 1, status: 'failed', transform, checks, error: { code: 'check-failed', message } });
      }
      const partial = totals.batchesFailed > 0;
      await audit.succeeded(asOf);
      await finishRun(wh, runId, partial ? 'partial' : 'succeeded', partial ? 3 : 0, totals);
      await audit.finished('COMPLETE');
      const published = await publishSnapshot(wh, o.db);
      if (published) log.info({ snapshot: published }, 'snapshot published');
      log.info({ models: transform.models.length, checks: checks.length, batches_failed: totals.batchesFailed }, 'run finished');
      return result({ exitCode: partial ? 3 : 0, status: partial ? 'partial' : 'succeeded', transform, checks, error: null });
    } catch (err) {
      // usage and config errors are the caller's to report (exit 2); anything else fails this run (exit 1)
      await finishRun(wh, runId, 'failed', 1, sumTotals(load), errorMessage(err)).catch(() => undefined);
      await audit.finished('FAIL', errorMessage(err)).catch(() => undefined);
      if (!(err instanceof JianguanError) || err.exitCode === 2 || err.exitCode === 75) throw err;
      const model = (err.details as { model?: string } | undefined)?.model;
      log.error({ code: err.code, model }, err.message);
      return result({ exitCode: 1, status: 'failed', transform: null, checks: [], error: { code: err.code, message: err.message, ...(model ? { model } : {}) } });
    }
  } finally {
    wh.close();
  }
}
