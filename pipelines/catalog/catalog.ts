// How to walk from any warehouse row to its inputs, derived from the model declarations and the catalog rather
// than from a list of known tables: a model's header gives its key, its SELECT gives the tables it reads, and its
// columns say which of them are references. So a new mart that carries `evidence` or a core table that carries
// `lineage` is traceable the day it is added, with no change here.
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { DEFAULT_SQL_DIR, discoverModels, type Model } from './models.ts';

/** What the walk needs of a model: its key and the tables it reads. */
export type ModelRef = Pick<Model, 'name' | 'file' | 'key' | 'reads'>;

export interface TableInfo {
  /** `schema.table`. */
  name: string;
  schema: string;
  table: string;
  /** The model that built it; raw tables and other sources have none. */
  model: ModelRef | null;
  key: string[];
  /** Column → DuckDB type, in table order. */
  columns: Map<string, string>;
  /** Tables its SELECT reads (models and sources). */
  reads: string[];
}

/** One way a row leads to other rows. */
export type Edge =
  /** A list of structs naming raw rows by (batch_id, record_no): core `lineage`, conflict `reported`. */
  | { kind: 'raw-refs'; column: string }
  /** Record ids of other tables: an `evidence` list, top-level or inside a list of structs (`factors[].evidence`). */
  | { kind: 'ids'; column: string; field: string | null }
  /** The row of an upstream table with the same key (entity_risk → core.entities, staging → raw). */
  | { kind: 'key'; target: string; columns: string[] }
  /** Rows of an upstream table that carry this row's key as an ordinary column (an aggregate's members). */
  | { kind: 'members'; target: string; columns: string[] }
  /** Rows of the same table one level down a hierarchy (`parent_code` → `region_code`). */
  | { kind: 'children'; column: string };

export interface Catalog {
  tables: Map<string, TableInfo>;
  edges(table: string): Edge[];
  /** Tables that an `ids` edge of `table` may point into, most likely first. */
  idTargets(table: string): TableInfo[];
  /** The table holding raw row (batch, record) of `feed` as seen from `table`: its staging model, else raw. */
  rawTarget(table: string, feed: string): TableInfo | null;
  /** Id prefix (`lic`, `sv` …) → the table ids with it were found in; learnt while tracing, reused across traces. */
  prefixes: Map<string, string>;
}

/** Raw rows are keyed by their place in a batch , whatever the feed. */
export const RAW_KEY = ['_batch_id', '_record_no'];
const MODEL_SCHEMAS = new Set(['staging', 'core', 'mart']);
const LAYER_ORDER = ['core', 'mart', 'staging'];

/** True for `STRUCT(... batch_id BIGINT ... record_no BIGINT ...)[]`. */
export function isRawRefType(type: string): boolean {
  return /^STRUCT\(.*\)\[\]$/.test(type) && /\bbatch_id"? BIGINT\b/.test(type) && /\brecord_no"? BIGINT\b/.test(type);
}

/** Where a column holds record ids: the column itself (`VARCHAR[]` named evidence) or a struct field of a list. */
export function idField(column: string, type: string): string | null | undefined {
  if (column === 'evidence' && type === 'VARCHAR[]') return null;
  if (/^STRUCT\(.*\)\[\]$/.test(type) && /\bevidence"? VARCHAR\[\]/.test(type)) return 'evidence';
  return undefined;
}

/**
 * The models as they were when their tables were built (meta.models, written by the transform), so a table is
 * walked the way it was built even if its file changed since; the model files when nothing was recorded (a
 * warehouse transformed by an older version) or when `sqlDir` is given.
 */
async function builtModels(wh: Warehouse, sqlDir: string | undefined): Promise<ModelRef[]> {
  if (sqlDir === undefined) {
    const hasTable = await wh.scalarNumber("select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'models'");
    const recorded = hasTable
      ? await wh.rows('select name, file, key, reads from meta.models', {
          name: col.text(),
          file: col.text(),
          key: col.list(col.text()),
          reads: col.list(col.text()),
        })
      : [];
    if (recorded.length) return recorded;
  }
  return discoverModels(wh, sqlDir ?? DEFAULT_SQL_DIR);
}

export async function loadCatalog(wh: Warehouse, sqlDir?: string): Promise<Catalog> {
  const models = await builtModels(wh, sqlDir);
  const byName = new Map(models.map((m) => [m.name, m]));
  const cols = await wh.rows(
    `select table_schema as s, table_name as t, column_name as c, data_type as d from information_schema.columns
     where table_catalog = current_database() and table_schema in ('raw', 'staging', 'core', 'mart')
       and table_name not like '%\\_\\_new' escape '\\'
     order by table_schema, table_name, ordinal_position`,
    { s: col.text(), t: col.text(), c: col.text(), d: col.text() },
  );
  const tables = new Map<string, TableInfo>();
  for (const r of cols) {
    const name = `${r.s}.${r.t}`;
    let info = tables.get(name);
    if (!info) {
      const model = byName.get(name) ?? null;
      const key = model ? model.key : r.s === 'raw' ? RAW_KEY : [];
      info = { name, schema: r.s, table: r.t, model, key, columns: new Map(), reads: model?.reads ?? [] };
      tables.set(name, info);
    }
    info.columns.set(r.c, r.d);
  }
  // A model file whose table was never built (or a stale table no file builds) cannot be walked.
  for (const [name, info] of tables) if (!info.key.length || (MODEL_SCHEMAS.has(info.schema) && !info.model)) tables.delete(name);
  return makeCatalog(tables);
}

function upstreamClosure(tables: Map<string, TableInfo>, start: string): TableInfo[] {
  const seen = new Set<string>([start]);
  const out: TableInfo[] = [];
  const queue = [...(tables.get(start)?.reads ?? [])];
  while (queue.length) {
    const t = queue.shift() as string;
    if (seen.has(t)) continue;
    seen.add(t);
    const info = tables.get(t);
    if (!info) continue;
    out.push(info);
    queue.push(...info.reads);
  }
  return out;
}

function deriveEdges(tables: Map<string, TableInfo>, info: TableInfo): Edge[] {
  const edges: Edge[] = [];
  for (const [c, type] of info.columns) {
    if (isRawRefType(type)) edges.push({ kind: 'raw-refs', column: c });
    const field = idField(c, type);
    if (field !== undefined) edges.push({ kind: 'ids', column: c, field });
  }
  const direct = info.reads.map((t) => tables.get(t)).filter((t): t is TableInfo => !!t);
  for (const up of direct) {
    if (up.key.every((k) => info.columns.has(k))) edges.push({ kind: 'key', target: up.name, columns: up.key });
  }
  if (edges.length === 0) {
    // nothing names its inputs row by row: an aggregate, whose inputs are the rows grouped under its key
    for (const up of direct) {
      if (up.model && info.key.every((k) => up.columns.has(k))) edges.push({ kind: 'members', target: up.name, columns: info.key });
    }
  }
  const only = info.key.length === 1 ? (info.key[0] as string) : null;
  const suffix = only?.includes('_') ? only.slice(only.indexOf('_')) : null;
  if (suffix && info.columns.has(`parent${suffix}`)) edges.push({ kind: 'children', column: `parent${suffix}` });
  return edges;
}

function makeCatalog(tables: Map<string, TableInfo>): Catalog {
  const edgeCache = new Map<string, Edge[]>();
  const idCache = new Map<string, TableInfo[]>();
  return {
    tables,
    prefixes: new Map(),
    edges(table) {
      let e = edgeCache.get(table);
      if (!e) {
        const info = tables.get(table);
        e = info ? deriveEdges(tables, info) : [];
        edgeCache.set(table, e);
      }
      return e;
    },
    idTargets(table) {
      let t = idCache.get(table);
      if (!t) {
        t = upstreamClosure(tables, table)
          .filter((u) => u.model && u.key.length === 1 && u.columns.get(u.key[0] as string) === 'VARCHAR')
          .sort((a, b) => LAYER_ORDER.indexOf(a.schema) - LAYER_ORDER.indexOf(b.schema) || (a.name < b.name ? -1 : 1));
        idCache.set(table, t);
      }
      return t;
    },
    rawTarget(table, feed) {
      const raw = `raw.${feed}`;
      for (const up of tables.get(table)?.reads ?? []) {
        const u = tables.get(up);
        if (u?.model && u.reads.includes(raw) && RAW_KEY.every((k, i) => u.key[i] === k) && u.key.length === 2) return u;
      }
      return tables.get(raw) ?? null;
    },
  };
}
