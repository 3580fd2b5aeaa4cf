// OpenLineage run events for each run, as JSON lines Marquez or DataHub can ingest (e.g. `curl -X POST
// $MARQUEZ/api/v1/lineage -d @line` per line, or DataHub's OpenLineage endpoint). The run itself is job
// `jianguan.<command>`; inside it each source's load (files → raw.<feed>) and each model (its reads → its table)
// is a child run with a ParentRunFacet, so the consumer draws the table-level DAG, with row counts as
// `outputStatistics`. Run ids are UUIDs derived from the warehouse path and run number: re-emitting a run yields
// the same ids, so a consumer merges rather than duplicates.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Warehouse } from '../../warehouse/db.ts';
import { modelJobEvents, runDatasets, sourceJobEvents } from './openlineage-datasets.ts';
import { facet, type RunEvent, runEvent, runUuid } from './openlineage-event.ts';

export { JOB_NAMESPACE, type RunEvent, runUuid, warehouseNamespace } from './openlineage-event.ts';

export interface OpenLineageOptions {
  /** JSON-lines file the events are appended to. */
  file: string;
  /** The warehouse path: names the dataset namespace and seeds the run UUIDs. */
  db: string;
  runId: number;
  /** `run`, `load`, `transform`: the job is `jianguan.<command>`. */
  command: string;
  /** Landing dir, so input files get absolute names. */
  landingDir?: string | null;
}

async function write(file: string, events: readonly RunEvent[]): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  await appendFile(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/** Call when the run starts (after startRun): one START event of the run's job. */
export async function emitRunStart(o: OpenLineageOptions & { eventTime?: Date }): Promise<void> {
  const ev = runEvent({
    eventType: 'START',
    eventTime: (o.eventTime ?? new Date()).toISOString(),
    run: { runId: runUuid(o.db, o.runId), facets: {} },
    job: `jianguan.${o.command}`,
    jobType: 'JOB',
    inputs: [],
    outputs: [],
  });
  await write(o.file, [ev]);
}

/**
 * Call when the run ends (after finishRun): START/COMPLETE (or FAIL) pairs of each source load and each model built
 * in this run, then the run's own COMPLETE or FAIL with every input file and every table it wrote, with row counts.
 */
export async function emitRunEnd(
  wh: Warehouse,
  o: OpenLineageOptions & { state: 'COMPLETE' | 'FAIL'; error?: string | null; sqlDir?: string },
): Promise<RunEvent[]> {
  const parent = { runId: runUuid(o.db, o.runId), job: `jianguan.${o.command}` };
  const ctx = { db: o.db, runId: o.runId, landingDir: o.landingDir ?? null, parent, sqlDir: o.sqlDir };
  const children = [...(await sourceJobEvents(wh, ctx)), ...(await modelJobEvents(wh, ctx))];
  const { inputs, outputs } = await runDatasets(wh, ctx);
  const facets: Record<string, unknown> = {};
  if (o.state === 'FAIL' && o.error) {
    facets.errorMessage = facet('https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet', {
      message: o.error,
      programmingLanguage: 'TypeScript',
    });
  }
  const end = runEvent({
    eventType: o.state,
    eventTime: new Date().toISOString(),
    run: { runId: parent.runId, facets },
    job: parent.job,
    jobType: 'JOB',
    inputs,
    outputs,
  });
  const events = [...children, end];
  await write(o.file, events);
  return events;
}
