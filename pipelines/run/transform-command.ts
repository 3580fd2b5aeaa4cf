// `jianguan transform [--select MODEL+] [--as-of D] [--risk-config FILE]`: one transform as its own run in
// meta.runs, through the run kernel like `run`: the integrity checks, the history (when the risk tables were
// rebuilt) and the published snapshot follow, so `query` and `lineage` read what the transform built. A failure
// propagates as RunFailedError (model-failed, model-cycle, check-failed …; exit 1) after the run is recorded
// failed and the previous snapshot kept; a bad risk config is a ConfigError (exit 2) before anything is opened.
// As with `run`, marts as of a date earlier than the published snapshot's are not published unless `publish`.
import type { Logger } from '../../lib/log.ts';
import { loadRiskConfig } from '../transform/risk-config.ts';
import { runTransform, type TransformResult, todayInChina } from '../transform/transform.ts';
import { NO_TOTALS, type PublishDecision, type RunOutcome, runCommand } from './kernel.ts';

export interface TransformCommandOptions {
  db: string;
  select?: string[];
  asOf?: string;
  /** Optional JSON file overriding the risk defaults (pipelines/transform/risk-config.ts). */
  riskConfig?: string;
  log: Logger;
  openLineage?: string | null;
  /** Only for tests: a scratch sql/ directory. */
  sqlDir?: string;
  /** Publish even when the published snapshot describes a later date than `asOf` (default: keep it). */
  publish?: boolean;
}

export async function runTransformCommand(
  o: TransformCommandOptions,
): Promise<TransformResult & { runId: number; snapshot: string | null; publish: PublishDecision | null; anchor: RunOutcome<unknown>['anchor'] }> {
  const riskConfig = loadRiskConfig(o.riskConfig);
  const asOf = o.asOf ?? todayInChina();
  const r = await runCommand(
    {
      command: 'transform',
      db: o.db,
      args: { select: o.select ?? null, as_of: asOf, ...(o.publish ? { publish: true } : {}) },
      configFile: o.riskConfig ?? null,
      configHash: null,
      log: o.log,
      openLineage: o.openLineage ?? null,
      sqlDir: o.sqlDir,
      forcePublish: o.publish,
    },
    async ({ wh, runId, log }) => {
      const t = await runTransform(wh, { select: o.select, asOf, riskConfig, runId, log, sqlDir: o.sqlDir });
      // Only complete risk tables enter the history of classes and alerts.
      const complete = t.models.some((m) => m.model === 'mart.entity_risk');
      return { ...t, totals: NO_TOTALS, partial: false, transformed: { asOf, complete } };
    },
  );
  const { totals: _t, partial: _p, transformed: _x, ...result } = r.value;
  return { ...result, runId: r.runId, snapshot: r.snapshot, publish: r.publish, anchor: r.anchor };
}
