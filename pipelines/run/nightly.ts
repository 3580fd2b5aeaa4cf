// `jianguan run`: the nightly job in one process and one meta.runs row: load every new landing file, transform
// staging → core → marts, then (through the run kernel) check across models, append the history and publish the
// snapshot. The exit code says what happened: 0 all well, 3 some files failed and were quarantined (the rest
// loaded and transformed), 1 the transform, a check or a later step failed (the previous snapshot is served).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { asJianguanError, errorMessage, JianguanError, UsageError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { restoreDefaultMemoryLimit } from '../../warehouse/schema/open.ts';
import { literal } from '../../warehouse/sql.ts';
import type { RunTotals } from '../audit/ledger.ts';
import { DEFAULT_MEMORY_LIMIT, type LoadResult, loadFiles } from '../ingest/load.ts';
import type { RunCheck } from '../transform/checks.ts';
import type { RiskConfig } from '../transform/risk-config.ts';
import { runTransform, type TransformResult, todayInChina } from '../transform/transform.ts';
import { type PublishDecision, RunFailedError, type RunOutcome, runCommand } from './kernel.ts';

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
  /** Publish even when the published snapshot describes a later date than `asOf` (default: keep it). */
  publish?: boolean;
  /** DuckDB's buffer pool for the transform (`--memory-limit`); default DuckDB's own, 80% of RAM. */
  memoryLimit?: string;
}

/** One day's load of a run; `date` is null when the run loaded every file (no --date, --from/--to). */
export type DayLoad = LoadResult & { date: string | null };

export interface NightlyResult {
  runId: number;
  exitCode: 0 | 1 | 3;
  status: 'succeeded' | 'partial' | 'failed';
  asOf: string;
  /** One per day of a backfill (in order), else one. */
  load: DayLoad[];
  transform: TransformResult | null;
  checks: RunCheck[];
  /** Whether the marts were published (a backfill to an earlier date keeps the newer snapshot); null when the run failed. */
  publish: PublishDecision | null;
  /** The manifest chain head appended to the anchor file (pipelines/audit/anchor.ts); null when the run failed. */
  anchor: RunOutcome<unknown>['anchor'];
  error: { code: string; message: string; model?: string } | null;
}

/** The days a run covers: one `date`, a `from`..`to` range, or every file (no filter). */
export function runDays(o: Pick<NightlyOptions, 'date' | 'from' | 'to'>): (string | undefined)[] {
  if (o.date && (o.from || o.to)) throw new UsageError('run: give --date or --from/--to, not both');
  if (!o.from && !o.to) return [o.date];
  if (!o.from || !o.to) throw new UsageError('run: --from and --to go together');
  const day = (s: string) => {
    const d = new Date(`${s}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s)
      throw new UsageError(`run: ${s} is not a date YYYY-MM-DD`);
    return d;
  };
  const days: string[] = [];
  for (let d = day(o.from); d <= day(o.to); d = new Date(d.getTime() + 86_400_000)) days.push(d.toISOString().slice(0, 10));
  if (!days.length) throw new UsageError(`run: --from ${o.from} is after --to ${o.to}`);
  if (days.length > 366) throw new UsageError('run: a backfill covers at most 366 days per run');
  return days;
}

/** A transform that ran out of memory says at which model, under which limit, and how to raise it; other errors pass. */
async function outOfMemory(wh: Warehouse, err: unknown): Promise<unknown> {
  const e = asJianguanError(err);
  if (e.code !== 'out-of-memory') return err;
  const model = (e.details as { model?: string } | undefined)?.model;
  const limit = await wh.one("select current_setting('memory_limit') as v").then(
    (r) => String(r?.v),
    () => 'unknown',
  );
  const cause = errorMessage(e.cause ?? err).split('\n')[0];
  // the kernel records the failed run next, through this connection: under the limit that too would fail
  await restoreDefaultMemoryLimit(wh).catch(() => undefined);
  return new JianguanError(
    'out-of-memory',
    `the transform ran out of memory${model ? ` building ${model}` : ''} (DuckDB memory_limit ${limit}): raise it with \`run --memory-limit\` (default 80% of RAM) or free memory; ${cause}`,
    { cause: err, details: model ? { model } : undefined },
  );
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
  const load: DayLoad[] = [];
  let transform = null as TransformResult | null;
  try {
    const r = await runCommand(
      {
        command: 'run',
        db: o.db,
        args: { date: o.date ?? null, from: o.from ?? null, to: o.to ?? null, as_of: asOf, ...(o.publish ? { publish: true } : {}) },
        configFile: o.config,
        configHash,
        // Loading with the bounded buffer pool of `load` (set at open: lowering it later does not bound RSS); the
        // transform then gets DuckDB's default back (restoreDefaultMemoryLimit).
        memoryLimit: DEFAULT_MEMORY_LIMIT,
        log: o.log,
        openLineage: o.openLineage ?? null,
        landingDir: cfg.landingDir,
        sqlDir: o.sqlDir,
        forcePublish: o.publish,
      },
      async ({ wh, runId, log }) => {
        for (const date of days) {
          const step = log.child({ step: 'load', ...(date ? { date } : {}) });
          const day = await loadFiles(wh, cfg, runId, { db: o.db, config: o.config, date, log: step, onProgress: o.onProgress }, step);
          load.push({ ...day, date: date ?? null });
        }
        await restoreDefaultMemoryLimit(wh);
        if (o.memoryLimit) await wh.run(`set memory_limit = ${literal(o.memoryLimit)}`);
        transform = await runTransform(wh, { log, runId, asOf, riskConfig: o.riskConfig, sqlDir: o.sqlDir }).catch(async (err: unknown) => {
          throw await outOfMemory(wh, err);
        });
        const totals = sumTotals(load);
        return { totals, partial: totals.batchesFailed > 0, transformed: { asOf, complete: true } };
      },
    );
    o.log.info({ run: r.runId, models: transform?.models.length ?? 0, checks: r.checks.length }, 'run finished');
    return {
      runId: r.runId,
      asOf,
      load,
      exitCode: r.exitCode,
      status: r.status,
      transform,
      checks: r.checks,
      publish: r.publish,
      anchor: r.anchor,
      error: null,
    };
  } catch (err) {
    // usage and config errors are the caller's to report (exit 2); a failed step fails this run (exit 1)
    if (!(err instanceof RunFailedError) || err.exitCode === 2 || err.exitCode === 75) throw err;
    const model = (err.details as { model?: string }).model;
    return {
      runId: err.runId,
      asOf,
      load,
      exitCode: 1,
      status: 'failed',
      transform: err.step === 'work' ? null : transform,
      checks: err.checks,
      publish: null,
      anchor: null,
      error: { code: err.code, message: err.message, ...(model ? { model } : {}) },
    };
  }
}
