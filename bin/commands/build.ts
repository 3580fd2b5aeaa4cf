// graph, fixtures, query, transform: the models, test data, and reading the warehouse.
import { existsSync } from 'node:fs';
import { Option } from 'commander';
import { table } from '../../lib/format.ts';
import { publishLine } from './nightly.ts';
import { type Ctx, int, isoDate, lazy, nonNegativeInt, positiveNumber, print } from './shared.ts';

export function registerBuildCommands({ program, g, configIfAny, getLog }: Ctx): void {
  program
    .command('graph')
    .description('the model DAG as Mermaid: sources → raw → staging → core → marts')
    .option('--each-source', 'one node per configured source', false)
    .action(async (opts: { eachSource: boolean }) => {
      const { runGraph } = await lazy.graph();
      const m = await runGraph({
        config: configIfAny(),
        db: existsSync(g().db) ? g().db : undefined,
        sourceNodes: opts.eachSource ? 'each' : 'grouped',
      });
      print(g().json, { mermaid: m }, () => m);
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
    .argument('<sql>', 'one SQL query')
    .option('--live', 'query the warehouse file itself (only while no writer holds it)', false)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--limit <n>', 'print at most n rows', int, 1000)
    .action(async (sql: string, opts: { live: boolean; format: string; limit: number }) => {
      const { runQuery, toCsv } = await lazy.query();
      const r = await runQuery({ db: g().db, sql, live: opts.live, limit: opts.limit });
      const format = g().json ? 'json' : opts.format;
      // the keys are the analyst's own column names: printed as the query named them, never converted
      if (format === 'json') process.stdout.write(`${JSON.stringify(r.rows, null, 2)}\n`);
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
        ].join('\n'),
      );
    });
}
