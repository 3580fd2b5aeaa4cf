// run (the nightly job) and demo (a generated landing zone, then the nightly job on it).
import { resolve } from 'node:path';
import { formatAnchor } from '../../pipelines/audit/anchor.ts';
import type { NightlyResult } from '../../pipelines/run/nightly.ts';
import { requiredConfig } from './config-choice.ts';
import { loadSummary } from './load.ts';
import { type Ctx, isoDate, lazy, memorySize, print, progressFor } from './shared.ts';

/** How a run's publishing reads in a summary (run, transform). */
export function publishLine(p: { published: boolean; asOf: string; reason: string | null } | null, snapshot?: string | null): string | null {
  if (!p) return null;
  if (!p.published) return `not published: ${p.reason}`;
  return `published${snapshot ? ` ${snapshot}` : ''} as of ${p.asOf}`;
}

function nightlySummary(r: NightlyResult, risk: string): string {
  // a backfill loads day by day: each day's table under its date
  const parts = r.load.map((l) => (l.date && r.load.length > 1 ? `── ${l.date} ──\n${loadSummary(l)}` : loadSummary(l)));
  if (r.transform) {
    parts.push(
      `transform: ${r.transform.models.length} models as of ${r.asOf}; ${r.transform.checks.total} checks, ${r.transform.checks.failed} failed`,
    );
  }
  const failedChecks = r.checks.filter((c) => !c.passed);
  if (failedChecks.length) parts.push(...failedChecks.map((c) => `CHECK FAILED ${c.model} ${c.check}: ${c.details ?? ''}`));
  const published = publishLine(r.publish);
  if (published) parts.push(published);
  if (r.anchor) parts.push(formatAnchor(r.anchor.line, r.anchor.file));
  if (r.error) {
    parts.push(`RUN FAILED [${r.error.code}]${r.error.model ? ` ${r.error.model}` : ''}: ${r.error.message}`);
    parts.push('nothing was published: `query` and `lineage` still read the previous snapshot');
  }
  if (risk) parts.push('', risk);
  return parts.join('\n');
}

interface NightlyOpts {
  date?: string;
  from?: string;
  to?: string;
  asOf?: string;
  riskConfig?: string;
  openlineage?: string;
  publish?: boolean;
  memoryLimit?: string;
}

export function registerNightlyCommands(ctx: Ctx): void {
  const { program, g, getLog } = ctx;
  const nightly = async (opts: NightlyOpts, config: string) => {
    const [{ runNightly }, { loadRiskConfig }, { formatRiskSummary, readRiskSummary }] = await Promise.all([lazy.run(), lazy.risk(), lazy.summary()]);
    const { bar, onProgress } = progressFor();
    const r = await runNightly({
      db: g().db,
      config,
      date: opts.date,
      from: opts.from,
      to: opts.to,
      asOf: opts.asOf,
      riskConfig: loadRiskConfig(opts.riskConfig),
      openLineage: opts.openlineage,
      publish: opts.publish,
      memoryLimit: opts.memoryLimit,
      log: getLog(g().logLevel),
      onProgress,
    });
    bar.done();
    // the risk summary of a failed run would describe tables nobody was given: only a finished run has one
    const summary = r.transform && r.status !== 'failed' ? await readRiskSummary(g().db) : null;
    print(g().json, { ...r, risk: summary }, () => nightlySummary(r, summary ? formatRiskSummary(summary) : ''));
    process.exitCode = r.exitCode;
  };

  program
    .command('run')
    .description('the nightly job: load new files, transform, check; exit code says what happened')
    .option('--date <date>', 'only files of this day (YYYY-MM-DD); also the default as-of date', isoDate('--date'))
    .option('--from <date>', 'backfill: load each day from..to, then transform as of --to', isoDate('--from'))
    .option('--to <date>', 'end of the backfill range', isoDate('--to'))
    .option('--as-of <date>', 'the date the risk tables describe', isoDate('--as-of'))
    .option('--risk-config <path>', 'risk weights, cut-offs, windows and ratios (JSON)')
    .option('--publish', 'publish even when the published snapshot is as of a later date (a backfill keeps it otherwise)', false)
    .option('--openlineage <file>', 'append OpenLineage run events (JSON lines) to this file', process.env.JIANGUAN_OPENLINEAGE)
    .option('--memory-limit <size>', "DuckDB's buffer pool limit for the transform (default: 80% of RAM)", memorySize('--memory-limit', '4GB'))
    .action(async (opts: NightlyOpts) => nightly(opts, await requiredConfig(ctx)));

  program
    .command('demo')
    .description('generate a landing zone into ./landing and run the nightly job on it (re-runnable)')
    .option('--out <dir>', 'landing directory', './landing')
    .action(async (opts: { out: string }) => {
      const { runFixtures, DEFAULT_AS_OF } = await lazy.fixtures();
      await runFixtures({ out: opts.out, seed: 1, scale: 1 });
      // recorded absolute in meta.runs: later commands without --config find it there (README, Quick start)
      await nightly({ asOf: DEFAULT_AS_OF }, resolve(opts.out, 'jianguan.sources.json'));
    });
}
