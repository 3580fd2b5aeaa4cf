// The CLI: parses flags, creates the one logger, calls a pipeline function, prints, and maps errors to exit
// codes. The only place that calls process.exit.
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, JianguanError } from '../lib/errors.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { createProgress } from '../lib/progress.ts';
import { codeVersion } from '../lib/version.ts';
import type { LoadResult } from '../pipelines/ingest/load.ts';
import type { NightlyResult } from '../pipelines/run/nightly.ts';
import { table } from '../lib/format.ts';

const int = (v: string) => Number.parseInt(v, 10);

// Each command loads only the modules it needs: starting the CLI stays fast whatever the command.
const lazy = {
  fixtures: () => import('../fixtures/generator/command.ts'),
  init: () => import('../pipelines/run/init.ts'),
  load: () => import('../pipelines/run/load-command.ts'),
  risk: () => import('../pipelines/transform/risk-config.ts'),
  summary: () => import('../pipelines/transform/risk-summary.ts'),
  run: () => import('../pipelines/run/nightly.ts'),
  graph: () => import('../pipelines/transform/graph-show.ts'),
  lineage: () => import('../pipelines/lineage/lineage.ts'),
  lineageFormat: () => import('../pipelines/lineage/format.ts'),
  query: () => import('../pipelines/serve/query.ts'),
  runShow: () => import('../pipelines/audit/manifest-show.ts'),
  runShowFormat: () => import('../pipelines/audit/manifest-format.ts'),
  verify: () => import('../pipelines/verify/verify.ts'),
  verifyFormat: () => import('../pipelines/verify/format.ts'),
  runs: () => import('../pipelines/serve/runs.ts'),
  transform: () => import('../pipelines/run/transform-command.ts'),
  status: () => import('../pipelines/serve/status.ts'),
};

interface Globals {
  db: string;
  config: string;
  json: boolean;
  logLevel: string;
}

function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : human()}\n`);
}

export function loadSummary(r: LoadResult): string {
  const bySource = new Map<string, { files: number; loaded: number; unchanged: number; failed: number; read: number; rows: number; rejected: number }>();
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
  const rows = [...bySource].map(([id, s]) => [id, s.files, s.loaded, s.unchanged, s.failed, s.read, s.rows, s.rejected]);
  const t = r.totals;
  const unchanged = t.filesSeen - t.batchesLoaded - t.batchesSkipped - t.batchesFailed;
  return [
    table(['source', 'files', 'new', 'known', 'failed', 'records read', 'loaded', 'rejected'], rows),
    '',
    `run ${r.runId}: ${t.filesSeen} files: ${t.batchesLoaded} loaded, ${t.batchesSkipped} skipped (same content under another name), ` +
      `${unchanged} unchanged, ${t.batchesFailed} failed; ${t.rowsRead} records read = ${t.rowsLoaded} loaded + ${t.rowsRejected} rejected`,
    ...r.files.filter((f) => f.status === 'failed').map((f) => `FAILED ${f.location}: [${f.errorCode}] ${f.error}`),
    ...(t.rowsRejected ? ['rejected records: `jianguan status` (by reason) and table meta.rejects (file, line, field, message)'] : []),
  ].join('\n');
}

function nightlySummary(r: NightlyResult, risk: string): string {
  const parts = r.load.map(loadSummary);
  if (r.transform) {
    parts.push(`transform: ${r.transform.models.length} models as of ${r.asOf}; ${r.transform.checks.total} checks, ${r.transform.checks.failed} failed`);
  }
  const failedChecks = r.checks.filter((c) => !c.passed);
  if (failedChecks.length) parts.push(...failedChecks.map((c) => `CHECK FAILED ${c.model} ${c.check}: ${c.details ?? ''}`));
  if (r.error) parts.push(`RUN FAILED [${r.error.code}]${r.error.model ? ` ${r.error.model}` : ''}: ${r.error.message}`);
  if (risk) parts.push('', risk);
  return parts.join('\n');
}

function progressFor() {
  const bar = createProgress();
  return {
    bar,
    onProgress: (p: { filesDone: number; files: number; records: number }) =>
      bar.update(`loading: ${p.filesDone}/${p.files} files, ${p.records.toLocaleString('en')} records`),
  };
}

/** `argv` only tells whether the version is asked for: finding the commit costs two git calls, paid only then. */
export function buildProgram(getLog: (level: string) => Logger, argv: readonly string[] = []): Command {
  const wantsVersion = argv.some((a) => a === '-V' || a === '--version');
  const program = new Command('jianguan')
    .description('监管 supervision data warehouse: load department feeds into DuckDB, cross-check them, trace every record')
    .version(wantsVersion ? codeVersion() : '')
    .option('--db <path>', 'warehouse file', process.env.JIANGUAN_DB ?? './warehouse.duckdb')
    .option('--config <path>', 'sources config (JSON)', process.env.JIANGUAN_CONFIG ?? './jianguan.sources.json')
    .option('--json', 'machine-readable output on stdout', false)
    .addOption(
      new Option('--log-level <level>', 'pino log level for the JSON logs on stderr')
        .choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
        .default(process.stderr.isTTY ? 'warn' : 'info'),
    )
    .showHelpAfterError()
    .exitOverride();
  const g = () => program.opts<Globals>();
  const configIfAny = () => (existsSync(g().config) ? g().config : undefined);

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
    .option('--date <date>', 'only files whose path contains this date (YYYY-MM-DD or YYYYMMDD)')
    .option('--concurrency <n>', 'files fingerprinted and parsed at once', (v) => Number.parseInt(v, 10), 2)
    .option('--part-records <n>', 'records per DuckDB statement within a file, memory vs. speed (default: 300000)', int)
    .option('--memory-limit <size>', "DuckDB's buffer pool limit while loading (default: 384MB)")
    .action(async (opts: { source?: string[]; date?: string; concurrency: number; partRecords?: number; memoryLimit?: string }) => {
      const { runLoad } = await lazy.load();
      const { bar, onProgress } = progressFor();
      const r = await runLoad({
        db: g().db,
        config: g().config,
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
    .description('what was loaded, rejected and failed, per source')
    .action(async () => {
      const { runStatus } = await lazy.status();
      const r = await runStatus({ db: g().db });
      print(g().json, r, () =>
        [
          table(
            ['source', 'level', 'region', 'feed', 'loaded', 'skipped', 'failed', 'read', 'rows loaded', 'rejected'],
            r.sources.map((s) => [s.source_id, s.level, s.region_code, s.feed, s.batches_loaded, s.batches_skipped, s.batches_failed, s.rows_read, s.rows_loaded, s.rows_rejected]),
          ),
          '',
          'rejects by reason:',
          r.rejects_by_reason.length ? table(['reason', 'records'], r.rejects_by_reason.map((x) => [x.reason_code, x.n])) : '  none',
          ...(r.failed_batches.length ? ['', 'failed files (fix them and load again):', ...r.failed_batches.map((f) => `  batch ${f.batch_id} ${f.location}: [${f.error_code}] ${f.error}`)] : []),
        ].join('\n'),
      );
    });

  const runs = program
    .command('runs')
    .description('run history; `runs show [id]` details one run')
    .option('--limit <n>', 'most recent runs', int, 20)
    .action(async (opts: { limit: number }) => {
      const { runRuns } = await lazy.runs();
      const r = await runRuns({ db: g().db, limit: opts.limit });
      print(g().json, r, () =>
        table(
          ['run', 'command', 'status', 'exit', 'started', 'finished', 'read', 'loaded', 'rejected', 'failed batches'],
          r.map((x) => [x.run_id, x.command, x.status, x.exit_code, x.started_at, x.finished_at, x.rows_read, x.rows_loaded, x.rows_rejected, x.batches_failed]),
        ),
      );
    });
  runs
    .command('show')
    .description('one run: code version, config hash, input files and hashes, rejects, rows per table, checks, class and alert changes')
    .argument('[id]', 'run id (default: the latest run)')
    .action(async (id?: string) => {
      const [{ runRunsShow }, { formatRunShow }] = await Promise.all([lazy.runShow(), lazy.runShowFormat()]);
      const r = await runRunsShow({ db: g().db, runId: id ? Number(id) : undefined });
      print(g().json, r, () => formatRunShow(r));
    });

  program
    .command('lineage')
    .description('trace a row of any core or mart table down to the raw rows, source files, lines and checksums')
    .argument('<table>', 'e.g. mart.entity_risk, risk_alerts, core.licenses, raw.license')
    .argument('<key>', 'the row key; composite keys comma-separated (risk_factors USCC,factor; raw.license BATCH,RECORD)')
    .option('--limit <n>', 'references shown per list', int, 50)
    .option('--max-nodes <n>', 'nodes in the whole tree', int, 1000)
    .option('--rehash', 're-hash every source file instead of trusting an unchanged stat stamp', false)
    .option('--live', 'read the warehouse itself, not the published snapshot', false)
    .action(async (tableName: string, key: string, opts: { limit: number; maxNodes: number; rehash: boolean; live: boolean }) => {
      const [{ runLineage }, { formatLineageTree, lineageJson, lineageProblems }] = await Promise.all([lazy.lineage(), lazy.lineageFormat()]);
      const tree = await runLineage({
        db: g().db,
        config: configIfAny(),
        table: tableName,
        key,
        limit: opts.limit,
        maxNodes: opts.maxNodes,
        rehash: opts.rehash ? 'always' : 'auto',
        from: opts.live ? 'live' : 'auto',
      });
      print(g().json, g().json ? lineageJson(tree) : null, () => formatLineageTree(tree));
      // a source file missing or altered since it was loaded
      if (lineageProblems(tree).length) process.exitCode = 1;
    });

  program
    .command('verify')
    .description('re-hash landed files, reconcile every batch, re-hash raw rows, resolve every lineage reference')
    .option('--allow-missing', 'landing files archived after loading are listed, not failures', false)
    .action(async (opts: { allowMissing: boolean }) => {
      const [{ runVerify }, { formatVerifyReport }] = await Promise.all([lazy.verify(), lazy.verifyFormat()]);
      const r = await runVerify({ db: g().db, config: configIfAny(), allowMissing: opts.allowMissing });
      print(g().json, r, () => formatVerifyReport(r));
      process.exitCode = r.exitCode;
    });

  program
    .command('graph')
    .description('the model DAG as Mermaid: sources → raw → staging → core → marts')
    .option('--each-source', 'one node per configured source', false)
    .action(async (opts: { eachSource: boolean }) => {
      const { runGraph } = await lazy.graph();
      const m = await runGraph({ config: configIfAny(), db: existsSync(g().db) ? g().db : undefined, sourceNodes: opts.eachSource ? 'each' : 'grouped' });
      print(g().json, { mermaid: m }, () => m);
    });

  program
    .command('fixtures')
    .description('generate a realistic multi-level landing zone (deterministic by seed)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), 1)
    .option('--scale <s>', 'size factor (1 ≈ a few thousand entities)', Number.parseFloat, 1)
    .option('--as-of <date>', 'the day the landing zone describes', '2024-12-31')
    .option('--broken-files', 'also write files that must fail as a whole', false)
    .option('--no-defects', 'no defective records')
    .action(async (opts: { out: string; seed: number; scale: number; asOf: string; brokenFiles: boolean; defects: boolean }) => {
      const { runFixtures } = await lazy.fixtures();
      const r = await runFixtures(opts);
      print(g().json, r, () => JSON.stringify(r, null, 2));
    });

  program
    .command('query')
    .description('read-only SQL on the last published snapshot (analysts never wait for the nightly writer)')
    .argument('<sql>', 'one SQL query')
    .option('--live', 'query the warehouse file itself (only while no writer holds it)', false)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--limit <n>', 'print at most n rows', (v) => Number.parseInt(v, 10), 1000)
    .action(async (sql: string, opts: { live: boolean; format: string; limit: number }) => {
      const { runQuery, toCsv } = await lazy.query();
      const r = await runQuery({ db: g().db, sql, live: opts.live, limit: opts.limit });
      const format = g().json ? 'json' : opts.format;
      if (format === 'json') print(true, r.rows, () => '');
      else if (format === 'csv') process.stdout.write(`${toCsv(r)}\n`);
      else {
        const cells = r.rows.map((row) => r.columns.map((c) => (row[c] !== null && typeof row[c] === 'object' ? JSON.stringify(row[c]) : row[c])));
        process.stdout.write(`${table(r.columns, cells)}\n${r.truncated ? `(first ${opts.limit} rows; --limit to see more)\n` : ''}`);
      }
    });

  program
    .command('transform')
    .description('build staging → core → marts from sql/ in dependency order')
    .option('--select <models...>', 'only these models; model+ adds everything downstream, +model everything upstream')
    .option('--as-of <date>', 'the date the risk tables describe (default: today in China)')
    .option('--risk-config <path>', 'risk weights, cut-offs, windows and ratios (JSON)')
    .action(async (opts: { select?: string[]; asOf?: string; riskConfig?: string }) => {
      const { runTransformCommand } = await lazy.transform();
      const r = await runTransformCommand({ db: g().db, select: opts.select, asOf: opts.asOf, riskConfig: opts.riskConfig, log: getLog(g().logLevel) });
      print(g().json, r, () =>
        [
          table(['model', 'rows', 'ms'], r.models.map((m) => [m.model, m.rows, m.ms])),
          '',
          `run ${r.runId}: ${r.models.length} models as of ${r.asOf}; ${r.checks.total} checks, ${r.checks.failed} failed`,
        ].join('\n'),
      );
    });

  const nightly = async (opts: { date?: string; from?: string; to?: string; asOf?: string; riskConfig?: string; openlineage?: string }, config: string) => {
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
      log: getLog(g().logLevel),
      onProgress,
    });
    bar.done();
    const summary = r.transform ? await readRiskSummary(g().db) : null;
    print(g().json, { ...r, risk: summary }, () => nightlySummary(r, summary ? formatRiskSummary(summary) : ''));
    process.exitCode = r.exitCode;
  };

  program
    .command('run')
    .description('the nightly job: load new files, transform, check; exit code says what happened')
    .option('--date <date>', 'only files of this day (YYYY-MM-DD); also the default as-of date')
    .option('--from <date>', 'backfill: load each day from..to, then transform as of --to')
    .option('--to <date>', 'end of the backfill range')
    .option('--as-of <date>', 'the date the risk tables describe')
    .option('--risk-config <path>', 'risk weights, cut-offs, windows and ratios (JSON)')
    .option('--openlineage <file>', 'append OpenLineage run events (JSON lines) to this file', process.env.JIANGUAN_OPENLINEAGE)
    .action((opts) => nightly(opts, g().config));

  program
    .command('demo')
    .description('generate a landing zone into ./landing and run the nightly job on it (re-runnable)')
    .option('--out <dir>', 'landing directory', './landing')
    .action(async (opts: { out: string }) => {
      const { runFixtures, DEFAULT_AS_OF } = await lazy.fixtures();
      await runFixtures({ out: opts.out, seed: 1, scale: 1 });
      await nightly({ asOf: DEFAULT_AS_OF }, `${opts.out}/jianguan.sources.json`);
    });

  return program;
}

/** process.exit drops whatever a pipe has not taken yet (`jianguan query … | head` would get 64 KiB): wait first. */
async function exit(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((done) => s.write('', () => done()))));
  process.exit(code);
}

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`jianguan query … | head`) is not an error of ours: stop quietly, as Unix tools do.
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(0);
    });
  }
  let log: Logger | undefined;
  const getLog = (level: string) => {
    log ??= createLogger(level);
    return log;
  };
  const program = buildProgram(getLog, argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      await exit(err.exitCode === 0 ? 0 : 2);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`jianguan: ${err.message}\n`);
      await exit(2);
    }
    if (err instanceof JianguanError) {
      process.stderr.write(`jianguan: [${err.code}] ${err.message}\n`);
      (log ?? createLogger('error')).error({ err, code: err.code }, err.message);
      await exit(err.exitCode);
    }
    process.stderr.write(`jianguan: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    await exit(1);
  }
  await exit(Number(process.exitCode ?? 0));
}
