// runs, runs show, lineage, verify: what happened, and where a row came from.
import { table } from '../../lib/format.ts';
import { configFor } from './config-choice.ts';
import { type Ctx, lazy, positiveInt, print, runId } from './shared.ts';

export function registerAuditCommands(ctx: Ctx): void {
  const { program, g } = ctx;
  const runs = program
    .command('runs')
    .description('run history; `runs show [id]` details one run')
    .option('--limit <n>', 'most recent runs', positiveInt('--limit', 20), 20)
    .action(async (opts: { limit: number }) => {
      const { runRuns } = await lazy.runs();
      const r = await runRuns({ db: g().db, limit: opts.limit });
      print(g().json, r, () =>
        table(
          ['run', 'command', 'status', 'exit', 'started', 'finished', 'read', 'loaded', 'rejected', 'failed batches'],
          r.map((x) => [
            x.run_id,
            x.command,
            x.status,
            x.exit_code,
            x.started_at,
            x.finished_at,
            x.rows_read,
            x.rows_loaded,
            x.rows_rejected,
            x.batches_failed,
          ]),
        ),
      );
    });
  runs
    .command('show')
    .description('one run: code version, config hash, input files and hashes, rejects, rows per table, checks, class and alert changes')
    .argument('[id]', 'run id (default: the latest run)', runId('<id>'))
    .option('--all', 'every changed value of each re-sent file (default: the first 20)', false)
    .action(async (id: number | undefined, opts: { all: boolean }) => {
      const [{ runRunsShow }, { formatRunShow }] = await Promise.all([lazy.runShow(), lazy.runShowFormat()]);
      const r = await runRunsShow({ db: g().db, runId: id, all: opts.all });
      print(g().json, r, () => formatRunShow(r));
    });

  program
    .command('lineage')
    .description('trace a row of any core or mart table down to the raw rows, source files, lines and checksums')
    .argument('<table>', 'e.g. mart.entity_risk, risk_alerts, core.licenses, raw.license')
    .argument('<key>', 'the row key; composite keys comma-separated (risk_factors USCC,factor; raw.license BATCH,RECORD)')
    .option('--limit <n>', 'references shown per list', positiveInt('--limit', 50), 50)
    .option('--max-nodes <n>', 'nodes in the whole tree', positiveInt('--max-nodes', 1000), 1000)
    .option('--rehash', 're-hash every source file instead of trusting an unchanged stat stamp', false)
    .option('--live', 'read the warehouse itself, not the published snapshot', false)
    .action(async (tableName: string, key: string, opts: { limit: number; maxNodes: number; rehash: boolean; live: boolean }) => {
      const [{ runLineage }, { formatLineageTree, lineageJson, lineageProblems }] = await Promise.all([lazy.lineage(), lazy.lineageFormat()]);
      const tree = await runLineage({
        db: g().db,
        config: (await configFor(ctx)).path,
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
      const config = await configFor(ctx);
      const r = await runVerify({ db: g().db, config: config.path, configFrom: config, allowMissing: opts.allowMissing });
      print(g().json, r, () => formatVerifyReport(r));
      process.exitCode = r.exitCode;
    });
}
