// Reading the rows a lineage walk visits, always by key and in batches (one statement per table and tree level),
// so a trace costs a few dozen keyed lookups however large the warehouse is. Built tables are stored in key order
// (build.ts), so DuckDB's min/max zone maps skip almost every row group of a keyed lookup.
import { col, type RowOf } from '../../warehouse/columns.ts';
// Row: the rows of whatever table is traced are arbitrary (their columns come from the catalog, not from code)
import type { Row, SqlValue, Warehouse } from '../../warehouse/db.ts';
import { ident, qualified } from '../../warehouse/sql.ts';
import type { TableInfo } from '../catalog/catalog.ts';

const INTEGER_TYPES = /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/;

/** A key value bound with the column's own type, so comparisons need no cast and filters reach the scan. */
export function keyParam(type: string | undefined, v: unknown): SqlValue {
  if (type && INTEGER_TYPES.test(type)) return BigInt(String(v));
  return String(v);
}

/** Identity of a key tuple, for maps. */
export function tupleId(values: readonly unknown[]): string {
  return JSON.stringify(values.map((v) => (v === null || v === undefined ? null : String(v))));
}

/** One IN list per column over the values the tuples hold there (a superset of the tuples when several columns). */
function inLists(info: TableInfo, columns: readonly string[], tuples: readonly unknown[][]): { where: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const conds = columns.map((c, i) => {
    const values = [...new Set(tuples.map((t) => String(t[i])))];
    params.push(...values.map((v) => keyParam(info.columns.get(c), v)));
    return `${ident(c)} in (${values.map(() => '?').join(', ')})`;
  });
  return { where: conds.join(' and '), params };
}

/**
 * Up to this many keys are looked up one by one (a few blocks each); more are read in one pass over the table,
 * which costs about as much as this many point lookups do on a cold start of a million-row table.
 */
const POINT_LOOKUPS = 24;

/** Rows of `info` whose key is one of `tuples`, by tupleId. */
export async function rowsByKeys(wh: Warehouse, info: TableInfo, tuples: readonly unknown[][]): Promise<Map<string, Row>> {
  const out = new Map<string, Row>();
  if (!tuples.length) return out;
  const table = qualified(info.schema, info.table);
  const params: SqlValue[] = [];
  let sql: string;
  const distinct = [...new Map(tuples.map((t) => [tupleId(t), t])).values()];
  if (distinct.length <= POINT_LOOKUPS) {
    // Equalities reach the scan as filters, so each lookup reads the few blocks holding its row; an IN list of
    // several values does not, and DuckDB then reads every column of every row (the whole table, on a cold start).
    const one = `select * from ${table} where ${info.key.map((k) => `${ident(k)} = ?`).join(' and ')}`;
    sql = distinct.map(() => one).join(' union all ');
    for (const t of distinct) params.push(...info.key.map((k, i) => keyParam(info.columns.get(k), t[i])));
  } else {
    // for composite keys the combinations of the IN lists are filtered exactly below
    const w = inLists(info, info.key, distinct);
    sql = `select * from ${table} where ${w.where}`;
    params.push(...w.params);
  }
  const rows = await wh.all(sql, params);
  const wanted = new Set(tuples.map(tupleId));
  for (const r of rows) {
    const id = tupleId(info.key.map((k) => r[k]));
    if (wanted.has(id)) out.set(id, r);
  }
  return out;
}

/**
 * For each of several value tuples, the rows of `info` whose `columns` equal it: the first ones in key order, at
 * most `limit` per tuple and `budget` in all (given to the tuples in their order, as the tree has room for no more),
 * and how many there are. One count and one fetch for all tuples (a level of aggregates asks for many at once);
 * rows that could not be shown are never read, which matters on a cold start where every row read costs.
 */
export async function rowsGrouped(
  wh: Warehouse,
  info: TableInfo,
  columns: readonly string[],
  tuples: readonly unknown[][],
  limit: number,
  budget = Number.POSITIVE_INFINITY,
): Promise<Map<string, { rows: Row[]; total: number }>> {
  const out = new Map<string, { rows: Row[]; total: number }>();
  if (!tuples.length) return out;
  const part = columns.map(ident).join(', ');
  const order = info.key.map(ident).join(', ');
  const table = qualified(info.schema, info.table);
  for (const t of tuples) out.set(tupleId(t), { rows: [], total: 0 });
  const all = inLists(info, columns, tuples);
  for (const r of await wh.all(`select ${part}, count(*) as n from ${table} where ${all.where} group by all`, all.params)) {
    const slot = out.get(tupleId(columns.map((c) => r[c])));
    if (slot) slot.total = Number(r.n); // BIGINT count beside arbitrary key columns
  }
  // rows each tuple gets, in the order asked
  const share = new Map<string, number>();
  let left = budget;
  for (const t of tuples) {
    const id = tupleId(t);
    if (share.has(id)) continue;
    const n = Math.max(0, Math.min(limit, out.get(id)?.total ?? 0, left));
    share.set(id, n);
    left -= n;
  }
  const wanted = tuples.filter((t) => (share.get(tupleId(t)) ?? 0) > 0);
  if (!wanted.length) return out;
  const most = Math.max(...wanted.map((t) => share.get(tupleId(t)) ?? 0));
  const some = inLists(info, columns, wanted);
  const rows = await wh.all(
    `select * exclude (_jg_n) from (
       select *, row_number() over (partition by ${part} order by ${order}) as _jg_n
       from ${table} where ${some.where}
     ) where _jg_n <= ? order by ${order}`,
    [...some.params, most],
  );
  for (const r of rows) {
    const id = tupleId(columns.map((c) => r[c]));
    const slot = out.get(id);
    if (slot && slot.rows.length < (share.get(id) ?? 0)) slot.rows.push(r);
  }
  return out;
}

/** The id prefix before the first `-` (lic-, ins-, sv- …): which table an id lives in, once one was found there. */
const prefixOf = (id: string) => (id.includes('-') ? id.slice(0, id.indexOf('-')) : '');

/**
 * Find each id in the first candidate table that holds it. A prefix seen in a table is looked for there first,
 * so a tree of licence and inspection ids costs one lookup per table, not one per candidate.
 */
export async function resolveIds(
  wh: Warehouse,
  candidates: readonly TableInfo[],
  ids: readonly string[],
  prefixes: Map<string, string>,
): Promise<Map<string, { info: TableInfo; row: Row }>> {
  const found = new Map<string, { info: TableInfo; row: Row }>();
  let left = [...new Set(ids)];
  const byName = new Map(candidates.map((c) => [c.name, c]));
  const lookIn = async (info: TableInfo, want: string[]) => {
    const rows = await rowsByKeys(
      wh,
      info,
      want.map((id) => [id]),
    );
    for (const id of want) {
      const row = rows.get(tupleId([id]));
      if (row) {
        found.set(id, { info, row });
        prefixes.set(prefixOf(id), info.name);
      }
    }
    left = left.filter((id) => !found.has(id));
  };
  const guessed = new Map<string, string[]>();
  for (const id of left) {
    const t = prefixes.get(prefixOf(id));
    if (t && byName.has(t)) guessed.set(t, [...(guessed.get(t) ?? []), id]);
  }
  for (const [t, want] of guessed) await lookIn(byName.get(t) as TableInfo, want);
  for (const c of candidates) {
    if (!left.length) break;
    await lookIn(c, left);
  }
  return found;
}

const BATCH_INFO = {
  batch_id: col.int(),
  run_id: col.int(),
  source_id: col.text(),
  level: col.text(),
  region_code: col.text(),
  department: col.text(),
  feed: col.text(),
  location: col.text(),
  sha256: col.text(),
  bytes: col.int(),
  encoding: col.nullable(col.text()),
  status: col.text(),
  loaded_at: col.isoTimestamp(),
  run_command: col.nullable(col.text()),
  run_started_at: col.nullable(col.isoTimestamp()),
  code_version: col.nullable(col.text()),
};

export type BatchInfo = RowOf<typeof BATCH_INFO>;

/** Ledger rows (with their run) of the given batches. */
export async function batchesById(wh: Warehouse, ids: readonly number[]): Promise<Map<number, BatchInfo>> {
  const out = new Map<number, BatchInfo>();
  const distinct = [...new Set(ids)];
  if (!distinct.length) return out;
  const rows = await wh.rows(
    `select b.batch_id, b.run_id, b.source_id, b.level, b.region_code, b.department, b.feed, b.location, b.sha256, b.bytes,
            b.encoding, b.status, strftime(b.finished_at, '%Y-%m-%d %H:%M:%S') as loaded_at, r.command as run_command,
            strftime(r.started_at, '%Y-%m-%d %H:%M:%S') as run_started_at, r.code_version
     from meta.batches b left join meta.runs r using (run_id)
     where b.batch_id in (${distinct.map(() => '?').join(', ')})`,
    distinct.map((id) => BigInt(id)),
    BATCH_INFO,
  );
  for (const b of rows) out.set(b.batch_id, b);
  return out;
}
