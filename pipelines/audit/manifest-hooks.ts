// What a command calls around a run so that it is auditable afterwards: three calls instead of four modules.
//   started()          right after startRun      → OpenLineage START (when an events file is configured)
//   succeeded(asOf)    after transform + checks,  → the history of classes and alerts (only runs whose marts
//                      before finishRun             passed their checks enter it)
//   finished(state)    after finishRun, before    → the run manifest (final status, inputs, rows per table), then
//                      publishing the snapshot      OpenLineage COMPLETE/FAIL with the child jobs and row counts
import type { Warehouse } from '../../warehouse/db.ts';
import { type AppendResult, appendHistory } from './history-append.ts';
import { emitRunEnd, emitRunStart } from './openlineage.ts';
import { recordRunManifest } from './manifest.ts';

export interface RunAuditOptions {
  db: string;
  runId: number;
  /** `run`, `load`, `transform`. */
  command: string;
  landingDir?: string | null;
  /** JSON-lines file for OpenLineage events; none when null or absent. */
  openLineage?: string | null;
  sqlDir?: string;
}

export interface RunAudit {
  started(): Promise<void>;
  succeeded(asOf: string): Promise<AppendResult>;
  finished(state: 'COMPLETE' | 'FAIL', error?: string | null): Promise<void>;
}

export function runAudit(wh: Warehouse, o: RunAuditOptions): RunAudit {
  const ol = o.openLineage ? { file: o.openLineage, db: o.db, runId: o.runId, command: o.command, landingDir: o.landingDir ?? null } : null;
  return {
    async started() {
      if (ol) await emitRunStart(ol);
    },
    succeeded(asOf) {
      return appendHistory(wh, o.runId, asOf, { sqlDir: o.sqlDir });
    },
    async finished(state, error = null) {
      await recordRunManifest(wh, o.runId);
      if (ol) await emitRunEnd(wh, { ...ol, state, error, sqlDir: o.sqlDir });
    },
  };
}
