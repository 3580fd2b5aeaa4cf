// runs, runs show, lineage, verify: what happened, and where a row came from. None of them opens the warehouse file
// unless --live (a run is never blocked): runs reads the writer's status document, the others the published snapshot.
import { table } from '../../lib/format.ts';
import { configFor } from './config-choice.ts';
import { type Ctx, lazy, positiveInt, print, readerLines, runId } from './shared.ts';

export function registerAuditCommands(ctx: Ctx): void {
  const { program, g } = ctx;
  const runs = program
    .command('runs')
    .description('run history; `runs show [id]` details one run')
    .option('--limit <n>', 'most recent runs', positiveInt('--limit', 20), 20)
    .option('--live', 'read the warehouse itself, not the status document the writer keeps (a run starting meanwhile exits 75)', false)
    .action(async (opts: { limit: number; live: boolean }) => {
      const { readRuns } = await lazy.runs();
      const read = await readRuns({ db: g().db, limit: opts.limit, live: opts.live });
      const r = read.runs;
      // --json stays the array of runs: what else there is to say goes to the log
      const notes = readerLines(read);
      if (g().json) for (const n of notes) ctx.getLog(g().logLevel).info({ read_from: read.read_from }, n);
      print(g().json, r, () =>
        [
          ...notes,
          table(
            ['run', 'command', 'status', 'exit', 'started', 'finished', 'read', 'loaded', 'rejected', 'failed batches'],
            r.map((x) => [
              x.run_id,
              x.command,
              read.run_in_progress?.run_id === x.run_id && read.run_in_progress.state === 'gone' ? 'did not finish' : x.status,
              x.exit_code,
              x.started_at,
              x.finished_at,
              x.rows_read,
              x.rows_loaded,
              x.rows_rejected,
              x.batches_failed,
            ]),
          ),
        ].join('\n'),
      );
    });
  runs
    .command('show')
    .description('one run: code version, config hash, input files and hashes, rejects, rows per table, checks, class and alert changes')
    .argument('[id]', 'run id (default: the latest finished run)', runId('<id>'))
    .option('--live', 'read the warehouse itself (a run starting meanwhile exits 75)', false)
    .option('--all', 'every changed value of each re-sent file (default: the first 20)', false)
    .action(async (id: number | undefined, opts: { live: boolean; all: boolean }) => {
      const [{ runRunsShow }, { formatRunShow }] = await Promise.all([lazy.runShow(), lazy.runShowFormat()]);
      const r = await runRunsShow({ db: g().db, runId: id, live: opts.live, all: opts.all });
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
    .option('--live', 'read the warehouse itself, not the published snapshot (a run starting meanwhile exits 75)', false)
    .action(async (tableName: string, key: string, opts: { limit: number; maxNodes: number; rehash: boolean; live: boolean }) => {
      const [{ runLineage, lineageSource }, { formatLineageTree, lineageJson, lineageProblems }] = await Promise.all([
        lazy.lineage(),
        lazy.lineageFormat(),
      ]);
      const from = opts.live ? 'live' : 'snapshot';
      const tree = await runLineage({
        db: g().db,
        config: (await configFor(ctx, lineageSource(g().db, from))).path,
        table: tableName,
        key,
        limit: opts.limit,
        maxNodes: opts.maxNodes,
        rehash: opts.rehash ? 'always' : 'auto',
        from,
      });
      print(g().json, g().json ? lineageJson(tree) : null, () => formatLineageTree(tree));
      // a source file missing or altered since it was loaded
      if (lineageProblems(tree).length) process.exitCode = 1;
    });

  program
    .command('verify')
    .description('re-hash landed files, reconcile every batch, re-hash raw rows, resolve every lineage reference')
    .option('--allow-missing', 'landing files archived after loading are listed, not failures', false)
    .option('--live', 'verify the warehouse itself, not the published snapshot (a run starting meanwhile exits 75)', false)
    .option('--anchor <file>', 'prove the manifest chain matches every run anchored in this file (written by each run)')
    .option('--strict', 'also fail on what cannot be checked (HMAC row hashes without JIANGUAN_HMAC_KEY)', false)
    .action(async (opts: { allowMissing: boolean; live: boolean; anchor?: string; strict: boolean }) => {
      const [{ runVerify, verifySource }, { formatVerifyReport }] = await Promise.all([lazy.verify(), lazy.verifyFormat()]);
      const from = opts.live ? 'live' : 'snapshot';
      const config = await configFor(ctx, verifySource(g().db, from));
      const r = await runVerify({
        db: g().db,
        config: config.path,
        configFrom: config,
        allowMissing: opts.allowMissing,
        from,
        anchor: opts.anchor,
        strict: opts.strict,
      });
      print(g().json, r, () => formatVerifyReport(r));
      process.exitCode = r.exitCode;
    });
}
