// `jianguan transform`: build staging → core → marts from sql/ in the order the models' reads imply.
// Each model is built and swapped in on its own (build.ts); the first failure stops the run, naming
// the model, and every table built before it, and every table after it, stays as the last good run left it.
import { JianguanError, UsageError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { DEFAULT_SQL_DIR, discoverModels, LAYERS, type Model } from '../catalog/models.ts';
import { buildModel, type ModelResult } from './build.ts';
import { buildGraph, selectModels } from './graph.ts';
import { transformParams, writeParams } from './params.ts';
import { seedCodes, seedFields, seedRegions } from './ref.ts';
import { defaultRiskConfig, type RiskConfig } from './risk-config.ts';

export interface TransformOptions {
  /** `--select` terms: `model`, `model+` (and downstream), `+model` (and upstream). */
  select?: string[];
  log: Logger;
  /** meta.runs id this transform belongs to, recorded with checks and params. */
  runId?: number;
  /** The date the risk tables describe (YYYY-MM-DD); default today in China Standard Time. */
  asOf?: string;
  riskConfig?: RiskConfig;
  /** Where the models live; tests point this at a scratch directory. */
  sqlDir?: string;
}

export interface TransformResult {
  asOf: string;
  models: ModelResult[];
  checks: { total: number; failed: number };
  elapsedMs: number;
}

/** Today's date in China Standard Time (UTC+8, no DST): the calendar the feeds' dates are in. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function checkAsOf(asOf: string): string {
  const d = new Date(`${asOf}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== asOf) {
    throw new UsageError(`--as-of ${asOf}: expected a calendar date YYYY-MM-DD`);
  }
  return asOf;
}

/** Tables that exist outside the model schemas: what models may read besides each other. */
async function sourceTables(wh: Warehouse): Promise<Set<string>> {
  const modelSchemas = new Set<string>(LAYERS.map((l) => l.schema));
  const rows = await wh.rows(
    `select table_schema as s, table_schema || '.' || table_name as t from information_schema.tables
     where table_catalog = current_database()`,
    { s: col.text(), t: col.text() },
  );
  return new Set(rows.filter((r) => !modelSchemas.has(r.s)).map((r) => r.t));
}

/** Selected models whose unselected upstream models were never built cannot run: say so before starting. */
async function requireUpstream(wh: Warehouse, selected: readonly Model[], upstream: ReadonlyMap<string, string[]>): Promise<void> {
  const chosen = new Set(selected.map((m) => m.name));
  const existing = await wh.rows(
    `select table_schema || '.' || table_name as t from information_schema.tables where table_catalog = current_database()`,
    { t: col.text() },
  );
  const have = new Set(existing.map((r) => r.t));
  for (const m of selected) {
    const missing = (upstream.get(m.name) ?? []).filter((d) => !chosen.has(d) && !have.has(d));
    if (missing.length) {
      throw new JianguanError(
        'model-missing-upstream',
        `${m.name} reads ${missing.join(', ')}, which was never built: select +${m.name} or run a full transform`,
        {
          exitCode: 2,
          details: { model: m.name },
        },
      );
    }
  }
}

/** Discover, order and build the models into an open warehouse. */
export async function runTransform(wh: Warehouse, opts: TransformOptions): Promise<TransformResult> {
  const started = performance.now();
  const asOf = checkAsOf(opts.asOf ?? todayInChina());
  const cfg = opts.riskConfig ?? defaultRiskConfig();
  const runId = opts.runId ?? null;
  const log = opts.log.child({ step: 'transform', ...(runId === null ? {} : { run: runId }) });
  await seedRegions(wh);
  await seedFields(wh);
  await seedCodes(wh);
  await writeParams(wh, transformParams(cfg, asOf), runId);
  const models = await discoverModels(wh, opts.sqlDir ?? DEFAULT_SQL_DIR);
  const graph = buildGraph(models, await sourceTables(wh));
  const selected = selectModels(graph, opts.select ?? []);
  await requireUpstream(wh, selected, graph.upstream);
  log.info({ models: selected.length, as_of: asOf }, 'transform started');
  const results: ModelResult[] = [];
  for (const m of selected) results.push(await buildModel(wh, m, runId, log));
  const all = results.flatMap((r) => r.checks);
  const elapsedMs = Math.round(performance.now() - started);
  log.info({ models: results.length, ms: elapsedMs }, 'transform finished');
  return { asOf, models: results, checks: { total: all.length, failed: all.filter((c) => !c.passed).length }, elapsedMs };
}
