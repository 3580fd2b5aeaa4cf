// The writer's side of the status document (warehouse/status-doc.ts): at the start of every run and at its end,
// succeeded or failed, the kernel writes what `status` and `runs` would read live at that moment. Best-effort: the
// document is a cache, so failing to write it is logged and never fails the run.
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { lastRecordedConfig, latestRuns, loadedBatchesByRun } from '../../warehouse/run-status.ts';
import { type RunningRecord, readStatusDoc, STATUS_DOC_RUNS, STATUS_DOC_VERSION, writeStatusDoc } from '../../warehouse/status-doc.ts';
import { fullStatus } from '../archive/status.ts';
import { showRunFull } from '../audit/manifest-show.ts';

const SHOWS_KEPT = 5;

/** Write the document from the warehouse as it is now; `running` the run in progress (null at a run's end). */
export async function writeRunStatus(wh: Warehouse, db: string, running: RunningRecord | null, log: Logger): Promise<void> {
  if (db === ':memory:') return;
  try {
    const runs = await latestRuns(wh, STATUS_DOC_RUNS);
    const previous = readStatusDoc(db);
    // the run that just ended is shown from here until a snapshot holds it; the older shows are kept as they were
    const shows = previous?.shows ?? [];
    if (!running) {
      const ended = runs[0];
      if (ended) {
        const show = await showRunFull(wh, ended.run_id);
        shows.splice(0, shows.length, { run_id: ended.run_id, show }, ...shows.filter((s) => s.run_id !== ended.run_id));
      }
    }
    writeStatusDoc(db, {
      version: STATUS_DOC_VERSION,
      written_at: new Date().toISOString(),
      running,
      status: await fullStatus(wh),
      runs,
      loaded_batches_by_run: await loadedBatchesByRun(wh),
      last_config: await lastRecordedConfig(wh),
      shows: shows.slice(0, SHOWS_KEPT),
    });
  } catch (err) {
    log.warn({ step: 'status-document' }, `the status document was not written: ${errorMessage(err)}`);
  }
}
