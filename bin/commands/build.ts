// graph, fixtures, query, transform: the models, test data, and reading the warehouse.
import { existsSync } from 'node:fs';
import { Option } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import { table } from '../../lib/format.ts';
import { formatAnchor } from '../../pipelines/audit/anchor.ts';
import type { Limit, QueryFormat } from '../../pipelines/serve/query.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { publishLine } from './nightly.ts';
import { type Ctx, isoDate, lazy, memorySize, nonNegativeInt, positiveNumber, print } from './shared.ts';

/** `--limit`: a positive integer or `all`; anything else (abc, -1, 0, 1.5, 1e3) is a usage error (exit 2). */
export function parseLimit(v: string): Limit {
  const s = v.trim();
  if (s.toLowerCase() === 'all') return 'all';
  const n = /^\d+$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--limit ${JSON.stringify(v)}: give a positive whole number of rows, or \`all\``);
  }
  return n;
}

/** stdout at the reader's pace (a `| head` or a slow disk never makes us buffer the whole result), notes on stderr. */
function stdoutOutput() {
  return {
    write: (text: string) =>
      new Promise<void>((done) => {
        if (process.stdout.write(text)) done();
        else process.stdout.once('drain', done);
      }),
    note: (text: string) => {
      process.stderr.write(`${text}\n`);
    },
  };
}

export function registerBuildCommands({ program, g, configIfAny, getLog }: Ctx): void {
  program
    .command('graph')
    .description('the model DAG as Mermaid (--json: nodes and edges): sources → raw → staging → core → marts')
    .option('--each-source', 'one node per configured source', false)
    .option('--live', 'name the sources from the warehouse itself, not the published snapshot', false)
    .action(async (opts: { eachSource: boolean; live: boolean }) => {
      const { runGraph, runGraphDoc } = await lazy.graph();
      // without a config the sources come from a ledger: the published snapshot's, or the warehouse's with --live
      const ledger = opts.live ? g().db : snapshotPath(g().db);
      const o = {
        config: configIfAny(),
        db: existsSync(ledger) ? ledger : undefined,
        sourceNodes: opts.eachSource ? ('each' as const) : ('grouped' as const),
      };
      // --json: {"nodes": [{"id", "layer", "kind", …}], "edges": [{"from", "to", "kind"}]}, not Mermaid in a string
      if (g().json) print(true, await runGraphDoc(o), () => '');
      else {
        const m = await runGraph(o);
        print(false, null, () => m);
      }
    });

  program
    .command('fixtures')
    .description('generate a realistic multi-level landing zone (deterministic by seed)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--seed <n>', 'random seed', nonNegativeInt('--seed', 1), 1)
    .option('--scale <s>', 'size factor (1 ≈ a few thousand entities)', positiveNumber('--scale', '0.5'), 1)
    .option('--as-of <date>', 'the day the landing zone describes', isoDate('--as-of'), '2024-12-31')
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
    .argument('<sql>', 'one SQL statement')
    .option('--live', 'query the warehouse file itself (only while no writer holds it)', false)
    .addOption(
      new Option('--format <format>', 'output format: csv and json print every row, table the first 1,000')
        .choices(['table', 'csv', 'json'])
        .default('table'),
    )
    .option('--limit <n>', 'print at most n rows (a positive integer, or `all`)', parseLimit)
    .option(
      '--timeout <seconds>',
      'interrupt the query after this many seconds (default: $JIANGUAN_QUERY_TIMEOUT, or 60)',
      positiveNumber('--timeout', '300'),
    )
    .option(
      '--memory-limit <size>',
      "DuckDB's memory limit for the query (default: $JIANGUAN_QUERY_MEMORY_LIMIT, or 2GB)",
      memorySize('--memory-limit', '4GB'),
    )
    .action(async (sql: string, opts: { live: boolean; format: QueryFormat; limit?: Limit; timeout?: number; memoryLimit?: string }) => {
      const { printQuery } = await lazy.query();
      // the keys are the analyst's own column names: printed as the query named them, never converted
      await printQuery(
        {
          db: g().db,
          sql,
          live: opts.live,
          format: g().json ? 'json' : opts.format,
          limit: opts.limit,
          timeoutSeconds: opts.timeout,
          memoryLimit: opts.memoryLimit,
        },
        stdoutOutput(),
      );
    });

  program
    .command('transform')
    .description('build staging → core → marts from sql/ in dependency order')
    .option('--select <models...>', 'only these models; model+ adds everything downstream, +model everything upstream')
    .option('--as-of <date>', 'the date the risk tables describe (default: today in China)', isoDate('--as-of'))
    .option('--risk-config <path>', 'risk weights, cut-offs, windows and ratios (JSON)')
    .option('--publish', 'publish even when the published snapshot is as of a later date (it is kept otherwise)', false)
    .action(async (opts: { select?: string[]; asOf?: string; riskConfig?: string; publish: boolean }) => {
      const { runTransformCommand } = await lazy.transform();
      const r = await runTransformCommand({
        db: g().db,
        select: opts.select,
        asOf: opts.asOf,
        riskConfig: opts.riskConfig,
        publish: opts.publish,
        log: getLog(g().logLevel),
      });
      print(g().json, r, () =>
        [
          table(
            ['model', 'rows', 'ms'],
            r.models.map((m) => [m.model, m.rows, m.ms]),
          ),
          '',
          `run ${r.runId}: ${r.models.length} models as of ${r.asOf}; ${r.checks.total} checks, ${r.checks.failed} failed; ${publishLine(r.publish, r.snapshot) ?? 'nothing published'}`,
          ...(r.anchor ? [formatAnchor(r.anchor.line, r.anchor.file)] : []),
        ].join('\n'),
      );
    });
}
