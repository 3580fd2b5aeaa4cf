// `jianguan runs`: the run history, newest first, from the status document the writer keeps (never the warehouse
// file, so it never blocks a run); `--live`, a longer history than the document keeps, or a warehouse from before
// the document read the warehouse itself, READ_ONLY.
import { latestRuns, type RunRow } from '../../warehouse/run-status.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { type RunState, readStatusDoc, runState, STATUS_DOC_RUNS } from '../../warehouse/status-doc.ts';

export { latestRuns, type RunRow };

export interface RunsRead {
  runs: RunRow[];
  read_from: 'status-document' | 'warehouse';
  run_in_progress: RunState | null;
  note: string | null;
}

export async function readRuns(o: { db: string; limit: number; live?: boolean }): Promise<RunsRead> {
  const doc = o.live ? null : readStatusDoc(o.db);
  // the document holds the newest STATUS_DOC_RUNS: a longer history it cannot give unless it holds every run
  if (doc && (o.limit <= doc.runs.length || doc.runs.length < STATUS_DOC_RUNS)) {
    return { runs: doc.runs.slice(0, o.limit), read_from: 'status-document', run_in_progress: runState(doc), note: null };
  }
  const runs = await withOpenWarehouse(o.db, (wh) => latestRuns(wh, o.limit), { readOnly: true });
  const note = o.live
    ? null
    : doc
      ? `the status document keeps the newest ${STATUS_DOC_RUNS} runs: read the warehouse itself for --limit ${o.limit}`
      : 'no status document yet (no run since this version): read the warehouse itself, which a run in progress would block';
  return { runs, read_from: 'warehouse', run_in_progress: runState(doc), note };
}

export async function runRuns(o: { db: string; limit: number; live?: boolean }): Promise<RunRow[]> {
  return (await readRuns(o)).runs;
}
