// `jianguan transform [--select MODEL+] [--as-of D] [--risk-config FILE]`: one transform as its own run in
// meta.runs. Failures propagate as ModelError (model-failed, model-cycle, model-unknown-ref …; exit 1) after the
// run is marked failed; a bad risk config is a ConfigError (exit 2) before anything is opened.
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { codeVersion } from '../../lib/version.ts';
import { appendHistory } from '../audit/history-append.ts';
import { finishRun, startRun } from '../audit/ledger.ts';
import { recordRunManifest } from '../audit/manifest.ts';
import { loadRiskConfig } from '../transform/risk-config.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { runTransform, type TransformResult, todayInChina } from '../transform/transform.ts';

export interface TransformCommandOptions {
  db: string;
  select?: string[];
  asOf?: string;
  /** Optional JSON file overriding the risk defaults (pipelines/risk-config.ts). */
  riskConfig?: string;
  log: Logger;
}

const NO_LOAD = { filesSeen: 0, batchesLoaded: 0, batchesSkipped: 0, batchesFailed: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };

export async function runTransformCommand(o: TransformCommandOptions): Promise<TransformResult & { runId: number }> {
  const riskConfig = loadRiskConfig(o.riskConfig);
  const asOf = o.asOf ?? todayInChina();
  const wh = await openWarehouse(o.db);
  try {
    const runId = await startRun(wh, {
      command: 'transform',
      args: { select: o.select ?? null, as_of: asOf },
      configFile: o.riskConfig ?? null,
      configHash: null,
      codeVersion: codeVersion(),
    });
    try {
      const r = await runTransform(wh, { select: o.select, asOf, riskConfig, runId, log: o.log });
      // Only complete risk tables enter the history of classes and alerts.
      if (r.models.some((m) => m.model === 'mart.entity_risk')) await appendHistory(wh, runId, asOf);
      await finishRun(wh, runId, 'succeeded', 0, NO_LOAD);
      await recordRunManifest(wh, runId);
      return { ...r, runId };
    } catch (err) {
      await finishRun(wh, runId, 'failed', 1, NO_LOAD, errorMessage(err)).catch(() => undefined);
      await recordRunManifest(wh, runId).catch(() => undefined);
      throw err;
    }
  } finally {
    wh.close();
  }
}
