// The run kernel: every writing command (load, transform, run) goes through `runCommand`, so every run is recorded,
// checked, published and audited the same way. A run is:
//
//   open warehouse → start run (meta.runs 'running') → OpenLineage START → the command's work
//   → checks → history → publish → finish run → manifest → OpenLineage COMPLETE
//
// At the start and at the end of every run (succeeded or failed) the status document `<db>.status.json` is written
// (status-sidecar.ts): `status` and `runs` read it, so they never hold the warehouse's lock while a run wants it.
//
// Checks, history and publish apply only when the work rebuilt the marts (`transformed`): a plain load changes
// no table an analyst reads. Any failure stops the sequence there and the run ends failed: the history events of
// the run are taken out again, a snapshot already swapped in is swapped back (the previous one is served), the
// run is recorded failed with the step and cause, its manifest is recorded, and OpenLineage gets FAIL, never
// COMPLETE. Only a failure of the last step (writing COMPLETE) leaves the run succeeded: everything it produced
// is published and recorded by then, and the error says so.
//
// Publishing never regresses what analysts see: marts as of a date earlier than the as-of of the snapshot already
// published (a backfill) are not published unless the command asks (`forcePublish`, `--publish`). The run
// still succeeds (its history is recorded, `query --live` sees its marts); the decision, published or not and
// why, is a row of meta.publishes, part of the run's manifest and of its outcome.
import { asJianguanError, errorMessage, JianguanError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { codeVersion } from '../../lib/version.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { type StagedSnapshot, stageSnapshot } from '../../warehouse/snapshot.ts';
import { type AnchorLine, anchorFileFor, appendAnchor } from '../audit/anchor.ts';
import { recordFingerprints } from '../audit/fingerprints.ts';
import { appendHistory, removeHistory } from '../audit/history-append.ts';
import { finishRun, type RunTotals, startRun } from '../audit/ledger.ts';
import { recordRunManifest } from '../audit/manifest.ts';
import { emitRunEnd, emitRunStart } from '../audit/openlineage.ts';
import { type RunCheck, runIntegrityChecks } from '../transform/checks.ts';
import { injectFault, type Step } from './faults.ts';
import { decidePublish, type PublishDecision } from './publish-decision.ts';
import { writeRunStatus } from './status-sidecar.ts';

export type { PublishDecision } from './publish-decision.ts';

export interface RunSpec {
  command: 'load' | 'transform' | 'run';
  db: string;
  /** Recorded in meta.runs.args. */
  args: Record<string, unknown>;
  configFile: string | null;
  configHash: string | null;
  /** DuckDB's buffer pool for the whole run (set at open). */
  memoryLimit?: string;
  log: Logger;
  /** JSON-lines file for OpenLineage events; none when null or absent. */
  openLineage?: string | null;
  landingDir?: string | null;
  /** Only for tests: a scratch sql/ directory. */
  sqlDir?: string;
  /** Publish even marts as of a date earlier than the published snapshot's (`--publish`); default: never regress. */
  forcePublish?: boolean;
  /** The anchor file (`--anchor-file`); default $JIANGUAN_ANCHOR_FILE, else `<db>.anchors.jsonl` (audit/anchor.ts). */
  anchorFile?: string | null;
}

export interface RunContext {
  wh: Warehouse;
  runId: number;
  log: Logger;
}

/** What the command's work reports to the kernel. */
export interface WorkOutcome {
  totals: RunTotals;
  /** Some files failed and were quarantined (the rest was loaded): the run is 'partial', exit 3. */
  partial: boolean;
  /** The marts were rebuilt, describing this date: checks, history (when `complete`) and publish follow. */
  transformed: { asOf: string; complete: boolean } | null;
}

export interface RunOutcome<T> {
  runId: number;
  status: 'succeeded' | 'partial';
  exitCode: 0 | 3;
  value: T;
  checks: RunCheck[];
  snapshot: string | null;
  /** Null when the work rebuilt no marts (nothing to publish). */
  publish: PublishDecision | null;
  /** The manifest chain head appended to the anchor file (null for an in-memory warehouse). */
  anchor: { line: AnchorLine; file: string } | null;
}

/** A run that failed: `step` names where, `runId` which run; the cause's code and exit code are kept. */
export class RunFailedError extends JianguanError {
  constructor(
    readonly runId: number,
    readonly step: Step,
    cause: unknown,
    /** The integrity checks, when the run got as far as them (all of them, passed or not). */
    readonly checks: RunCheck[] = [],
  ) {
    // the cause's code (a Node or DuckDB failure mapped to one: disk-full, warehouse-io-error, …), its message
    const c = asJianguanError(cause);
    const model = (c.details as { model?: string } | undefined)?.model;
    super(c.code, `run ${runId} failed at ${step}: ${errorMessage(cause)}`, {
      cause,
      exitCode: c.exitCode !== 0 ? c.exitCode : 1,
      details: { runId, step, ...(model ? { model } : {}) },
    });
  }
}

export const NO_TOTALS: RunTotals = {
  filesSeen: 0,
  batchesLoaded: 0,
  batchesSkipped: 0,
  batchesFailed: 0,
  rowsRead: 0,
  rowsLoaded: 0,
  rowsRejected: 0,
};

export async function runCommand<T extends WorkOutcome>(spec: RunSpec, work: (ctx: RunContext) => Promise<T>): Promise<RunOutcome<T>> {
  const wh = await openWarehouse(spec.db, { memoryLimit: spec.memoryLimit });
  try {
    const runId = await startRun(wh, {
      command: spec.command,
      args: spec.args,
      configFile: spec.configFile,
      configHash: spec.configHash,
      codeVersion: codeVersion(),
    });
    const started = { run_id: runId, pid: process.pid, command: spec.command, started_at: new Date().toISOString() };
    await writeRunStatus(wh, spec.db, started, spec.log);
    try {
      return await new Run(wh, runId, spec).go(work);
    } finally {
      // succeeded or failed: `status` and `runs` read this instead of the warehouse (warehouse/status-doc.ts)
      await writeRunStatus(wh, spec.db, null, spec.log);
    }
  } finally {
    wh.close();
  }
}

class Run {
  private step: Step = 'openlineage-start';
  private totals: RunTotals = NO_TOTALS;
  private historyAppended = false;
  private snapshot: StagedSnapshot | null = null;
  private publish: PublishDecision | null = null;
  private anchor: { line: AnchorLine; file: string } | null = null;
  private readonly log: Logger;
  private readonly ol;

  constructor(
    private readonly wh: Warehouse,
    private readonly runId: number,
    private readonly spec: RunSpec,
  ) {
    this.log = spec.log.child({ run: runId });
    this.ol = spec.openLineage
      ? { file: spec.openLineage, db: spec.db, runId, command: spec.command, landingDir: spec.landingDir ?? null, sqlDir: spec.sqlDir }
      : null;
  }

  private async at<R>(step: Step, fn: () => Promise<R>): Promise<R> {
    this.step = step;
    // the crash loop (pipelines/run/crash-loop.crash.test.ts) tells the phase a killed run was in from this line
    this.log.debug({ step }, `${step} started`);
    injectFault(step);
    return fn();
  }

  async go<T extends WorkOutcome>(work: (ctx: RunContext) => Promise<T>): Promise<RunOutcome<T>> {
    const { wh, runId } = this;
    let value: T | null = null;
    let checks: RunCheck[] = [];
    try {
      await this.at('openlineage-start', async () => this.ol && emitRunStart(this.ol));
      value = await this.at('work', () => work({ wh, runId, log: this.log }));
      this.totals = value.totals;
      const done = value;
      const status = done.partial ? 'partial' : 'succeeded';
      const exitCode = done.partial ? 3 : 0;
      if (done.transformed) {
        const t = done.transformed;
        checks = await this.at('checks', () => runIntegrityChecks(wh, runId));
        const failed = checks.filter((c) => !c.passed);
        if (failed.length) {
          const message = failed.map((c) => `${c.model} ${c.check}: ${c.details}`).join('; ');
          throw new JianguanError('check-failed', message, { details: { checks: failed.length } });
        }
        if (t.complete) {
          this.historyAppended = true;
          await this.at('history', () => appendHistory(wh, runId, t.asOf, { sqlDir: this.spec.sqlDir }));
        }
        await this.at('publish', async () => {
          // the tables analysts read, fingerprinted before they are published (verify recomputes them on both)
          await recordFingerprints(wh, runId);
          const p = await decidePublish(wh, this.spec, t.asOf, this.log);
          this.publish = p;
          await wh.run('insert or replace into meta.publishes values (?, ?::date, ?, ?::date, ?, now())', [
            runId,
            p.asOf,
            p.published,
            p.previousAsOf,
            p.reason,
          ]);
          if (!p.published) {
            this.log.warn({ as_of: p.asOf, published_as_of: p.previousAsOf }, `not published: ${p.reason}`);
            return;
          }
          this.snapshot = await stageSnapshot(
            wh,
            this.spec.db,
            t.asOf,
            (catalog) => finishRun(wh, runId, status, exitCode, done.totals, null, catalog),
            () => injectFault('publish-swap'),
          );
          if (this.snapshot) this.log.info({ snapshot: this.snapshot.path, as_of: t.asOf }, 'snapshot published');
        });
      }
      await this.at('finish', () => finishRun(wh, runId, status, exitCode, done.totals));
      await this.at('manifest', async () => this.anchorManifest(await recordRunManifest(wh, runId)));
      this.snapshot?.keep();
    } catch (err) {
      await this.fail(err);
      throw new RunFailedError(runId, this.step, err, checks);
    }
    try {
      await this.at('openlineage', async () => this.ol && emitRunEnd(wh, { ...this.ol, state: 'COMPLETE' }));
    } catch (err) {
      // the process exits 1 (openlineage-failed): the ledger says so too, the run stays succeeded and published
      await wh
        .run('update meta.runs set exit_code = 1, error = ? where run_id = ?', [`openlineage: ${errorMessage(err)}`, runId])
        .catch(() => undefined);
      throw new JianguanError(
        'openlineage-failed',
        `run ${runId} succeeded and is published, but its OpenLineage COMPLETE event was not written: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    const partial = value.partial;
    return {
      runId,
      status: partial ? 'partial' : 'succeeded',
      exitCode: partial ? 3 : 0,
      value,
      checks,
      snapshot: this.snapshot?.path ?? null,
      publish: this.publish,
      anchor: this.anchor,
    };
  }

  /** Append the run's manifest, the chain head, to the anchor file outside the warehouse. */
  private anchorManifest(m: { run_id: number; sha256: string; prev_sha256: string | null; status: string }): void {
    if (this.spec.db === ':memory:') return;
    const file = anchorFileFor(this.spec.db, this.spec.anchorFile);
    this.anchor = { line: appendAnchor(file, this.spec.db, m), file };
    this.log.info({ anchor_file: file, manifest_sha256: m.sha256 }, 'manifest chain head anchored');
  }

  /** Undo what a failed run must not leave behind, then record it failed; each part best-effort, the cause wins. */
  private async fail(err: unknown): Promise<void> {
    const { wh, runId } = this;
    const message = `${this.step}: ${errorMessage(err)}`;
    const model = err instanceof JianguanError ? (err.details as { model?: string } | undefined)?.model : undefined;
    this.log.error({ code: asJianguanError(err).code, step: this.step, ...(model ? { model } : {}) }, errorMessage(err));
    const quietly = async (what: string, fn: () => unknown) => {
      try {
        await fn();
      } catch (e) {
        this.log.error({ step: this.step, cleanup: what }, errorMessage(e));
      }
    };
    if (this.snapshot) await quietly('restore snapshot', () => this.snapshot?.restore());
    if (this.publish) await quietly('unrecord publish', () => wh.run('delete from meta.publishes where run_id = ?', [runId]));
    if (this.historyAppended) await quietly('remove history', () => removeHistory(wh, runId));
    // the exit code the process ends with (the cause's, as RunFailedError keeps it): meta.runs says what cron saw
    const exitCode = asJianguanError(err).exitCode || 1;
    await quietly('finish run', () => finishRun(wh, runId, 'failed', exitCode, this.totals, message));
    await quietly('manifest', async () => this.anchorManifest(await recordRunManifest(wh, runId)));
    if (this.ol) await quietly('openlineage', () => emitRunEnd(wh, { ...this.ol!, state: 'FAIL', error: message }));
  }
}
