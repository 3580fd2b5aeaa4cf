// The datasets and child jobs of a run's OpenLineage events, read from the ledger (which files each source's load
// read, how many rows it wrote) and from meta.checks (which models this run built, their row counts, failures).
import { resolve } from 'node:path';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import { DEFAULT_SQL_DIR, discoverModels } from '../catalog/models.ts';
import { type DatasetRef, facet, type RunEvent, runEvent, runUuid, warehouseNamespace } from './openlineage-event.ts';

export interface EventContext {
  db: string;
  runId: number;
  landingDir: string | null;
  parent: { runId: string; job: string };
  sqlDir?: string;
}

const SCHEMA_FACET = 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const STATS_FACET = 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet';
const PARENT_FACET = 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet';
const SQL_FACET = 'https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet';
const ERROR_FACET = 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet';

/** Local files: namespace `file`, name the absolute path (OpenLineage naming spec). */
function fileDataset(ctx: EventContext, location: string): DatasetRef {
  return { namespace: 'file', name: ctx.landingDir ? resolve(ctx.landingDir, location) : location };
}

async function tableDataset(wh: Warehouse, ctx: EventContext, table: string, rowCount?: number): Promise<DatasetRef> {
  const [schema, name] = table.split('.') as [string, string];
  const fields = await wh.rows(
    'select column_name as name, data_type as type from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position',
    [schema, name],
    { name: col.text(), type: col.text() },
  );
  const d: DatasetRef = { namespace: warehouseNamespace(ctx.db), name: table };
  if (fields.length) d.facets = { schema: facet(SCHEMA_FACET, { fields }) };
  if (rowCount !== undefined) d.outputFacets = { outputStatistics: facet(STATS_FACET, { rowCount }) };
  return d;
}

const parentFacet = (ctx: EventContext) => ({
  parent: facet(PARENT_FACET, { run: { runId: ctx.parent.runId }, job: { namespace: 'jianguan', name: ctx.parent.job } }),
});

function pair(
  ctx: EventContext,
  job: string,
  start: string,
  end: string,
  failed: string | null,
  inputs: DatasetRef[],
  outputs: DatasetRef[],
  jobFacets?: Record<string, unknown>,
): RunEvent[] {
  const runId = runUuid(ctx.db, ctx.runId, job);
  const endFacets: Record<string, unknown> = { ...parentFacet(ctx) };
  if (failed) endFacets.errorMessage = facet(ERROR_FACET, { message: failed, programmingLanguage: 'SQL' });
  return [
    runEvent({
      eventType: 'START',
      eventTime: start,
      run: { runId, facets: parentFacet(ctx) },
      job,
      jobType: 'TASK',
      inputs,
      outputs: [],
      jobFacets,
    }),
    runEvent({
      eventType: failed ? 'FAIL' : 'COMPLETE',
      eventTime: end,
      run: { runId, facets: endFacets },
      job,
      jobType: 'TASK',
      inputs,
      outputs,
      jobFacets,
    }),
  ];
}

/** One child job per source loaded in this run: its files in, raw.<feed> out with the rows this load wrote. */
export async function sourceJobEvents(wh: Warehouse, ctx: EventContext): Promise<RunEvent[]> {
  const rows = await wh.rows(
    `select source_id, any_value(feed) as feed, list(location order by batch_id) as locations, sum(rows_loaded) as rows_loaded,
            count(*) filter (where status = 'failed') as failed, string_agg(error, '; ') filter (where status = 'failed') as errors,
            strftime(min(started_at), '%Y-%m-%dT%H:%M:%S.%gZ') as started, strftime(max(finished_at), '%Y-%m-%dT%H:%M:%S.%gZ') as finished,
            count(*) as files
     from (select *, started_at at time zone 'UTC' as started_at, finished_at at time zone 'UTC' as finished_at from meta.batches where run_id = ?)
     group by source_id order by source_id`,
    [ctx.runId],
    {
      source_id: col.text(),
      feed: col.text(),
      locations: col.list(col.text()),
      rows_loaded: col.int(),
      failed: col.int(),
      errors: col.nullable(col.text()),
      started: col.timestamp(),
      finished: col.timestamp(),
      files: col.int(),
    },
  );
  const out: RunEvent[] = [];
  for (const r of rows) {
    const inputs = r.locations.map((l) => fileDataset(ctx, l));
    const allFailed = r.failed === r.files;
    const output = await tableDataset(wh, ctx, `raw.${r.feed}`, r.rows_loaded);
    out.push(...pair(ctx, `jianguan.load.${r.source_id}`, r.started, r.finished, allFailed ? String(r.errors) : null, inputs, [output]));
  }
  return out;
}

/** One child job per model this run built (or failed to build), from its checks in meta.checks. */
export async function modelJobEvents(wh: Warehouse, ctx: EventContext): Promise<RunEvent[]> {
  const built = await wh.rows(
    `select model, max(rows) as rows, bool_and(passed) filter (where check_name = 'build' or check_name like 'key%' or check_name like 'not_null%' or check_name = 'columns_exist') as passed,
            string_agg(details, '; ') filter (where not passed) as details,
            strftime(min(checked_at) at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') as at
     from meta.checks where run_id = ? group by model order by min(checked_at), model`,
    [ctx.runId],
    { model: col.text(), rows: col.nullable(col.int()), passed: col.nullable(col.bool()), details: col.nullable(col.text()), at: col.timestamp() },
  );
  if (!built.length) return [];
  const models = new Map((await discoverModels(wh, ctx.sqlDir ?? DEFAULT_SQL_DIR)).map((m) => [m.name, m]));
  const out: RunEvent[] = [];
  for (const b of built) {
    const m = models.get(b.model);
    const inputs = await Promise.all((m?.reads ?? []).map((t) => tableDataset(wh, ctx, t)));
    const failed = b.passed === false ? (b.details ?? 'model failed') : null;
    const output = await tableDataset(wh, ctx, b.model, b.rows ?? undefined);
    const jobFacets = m ? { sql: facet(SQL_FACET, { query: m.sql }) } : undefined;
    out.push(...pair(ctx, `jianguan.model.${b.model}`, b.at, b.at, failed, inputs, [output], jobFacets));
  }
  return out;
}

/** The run's own datasets: every file it read, every table it wrote, with the tables' row counts now. */
export async function runDatasets(wh: Warehouse, ctx: EventContext): Promise<{ inputs: DatasetRef[]; outputs: DatasetRef[] }> {
  const files = await wh.rows("select distinct location from meta.batches where run_id = ? and status <> 'failed' order by 1", [ctx.runId], {
    location: col.text(),
  });
  const feeds = await wh.rows("select distinct feed from meta.batches where run_id = ? and status = 'loaded' order by 1", [ctx.runId], {
    feed: col.text(),
  });
  const models = await wh.rows('select distinct model from meta.checks where run_id = ? and passed order by 1', [ctx.runId], { model: col.text() });
  const tables = [...new Set([...feeds.map((f) => `raw.${f.feed}`), ...models.map((m) => m.model)])];
  const outputs: DatasetRef[] = [];
  for (const t of tables) {
    const [s, n] = t.split('.') as [string, string];
    const exists = await wh.scalarNumber('select count(*) from information_schema.tables where table_schema = ? and table_name = ?', [s, n]);
    if (exists) outputs.push(await tableDataset(wh, ctx, t, await wh.scalarNumber(`select count(*) from ${qualified(s, n)}`)));
  }
  return { inputs: files.map((f) => fileDataset(ctx, f.location)), outputs };
}
