// `jianguan query "<sql>"`: read-only SQL on the last published snapshot (or, with --live, on the warehouse
// itself when no writer holds it). The connection cannot write, attach or touch files.
// Machine formats (csv, json) stream every row of the result (or the first --limit rows) as DuckDB hands them over,
// respecting the reader's pace; the table format shows at most TABLE_CAP rows unless told otherwise, and says so.
import { existsSync } from 'node:fs';
import { errorMessage, JianguanError, UsageError } from '../../lib/errors.ts';
import { table } from '../../lib/format.ts';
import { type Row, type RowStream, StatementCountError, Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';

export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** Rows the table format shows when no --limit is given (a screen, not a data export). */
export const TABLE_CAP = 1000;

/** A row limit: a positive integer, or every row. */
export type Limit = number | 'all';

export interface QueryOptions {
  db: string;
  sql: string;
  live?: boolean;
}

/** Open the snapshot (or the live warehouse) read-only, start the one statement of `o.sql`, hand its stream over. */
export async function withQueryStream<T>(o: QueryOptions, consume: (s: RowStream, source: string) => Promise<T>): Promise<T> {
  const source = o.live ? o.db : snapshotPath(o.db);
  if (!existsSync(source)) {
    throw new JianguanError(
      'no-snapshot',
      `${source} does not exist: run \`jianguan run\` (or \`npm run demo\`) first, or query the warehouse with --live`,
      { exitCode: 2 },
    );
  }
  const wh = await Warehouse.open(source, { readOnly: true });
  const failed = (err: unknown) => new JianguanError('query-failed', `query failed: ${errorMessage(err)}`, { exitCode: 2, cause: err });
  try {
    await wh.run('set enable_external_access = false');
    await wh.run('set lock_configuration = true');
    let s: RowStream;
    try {
      s = await wh.stream(o.sql);
    } catch (err) {
      if (err instanceof StatementCountError) {
        throw new UsageError(
          err.statements === 0
            ? 'query: the text has no SQL statement'
            : `query: the text has ${err.statements} SQL statements; give one statement per \`jianguan query\` (only its result would be shown)`,
        );
      }
      throw failed(err);
    }
    // an error DuckDB meets while producing rows (a failed cast on row 5,000) is the query's, not ours
    const guarded: RowStream = {
      columns: s.columns,
      async *chunks() {
        try {
          yield* s.chunks();
        } catch (err) {
          throw failed(err);
        }
      },
      rest: () => s.rest().catch((err) => Promise.reject(failed(err))),
    };
    return await consume(guarded, source);
  } finally {
    wh.close();
  }
}

/** Where the output goes: `write` resolves when the reader can take more (backpressure); `note` is for stderr. */
export interface QueryOutput {
  write(text: string): Promise<void>;
  note(text: string): void;
}

export interface PrintedQuery {
  rows: number;
  /** rows were left out (by --limit, or the table format's cap) */
  truncated: boolean;
}

/**
 * Run the query and print its result in `format`. csv and json write each chunk as it is read and never hold the
 * result; without `limit` they print every row. The table format keeps at most `limit` (default TABLE_CAP) rows
 * for the screen and, when it left rows out, says on stderr how many of how many it shows.
 */
export async function printQuery(o: QueryOptions & { format: QueryFormat; limit?: Limit }, out: QueryOutput): Promise<PrintedQuery> {
  return withQueryStream(o, async (s) => {
    const max =
      o.limit === undefined ? (o.format === 'table' ? TABLE_CAP : Number.POSITIVE_INFINITY) : o.limit === 'all' ? Number.POSITIVE_INFINITY : o.limit;
    let rows = 0;
    let truncated = false;
    let left = 0; // rows of the last chunk read that were not taken
    const kept: unknown[][] = [];
    if (o.format === 'csv') await out.write(`${csvLine(s.columns)}\n`);
    for await (const chunk of s.chunks()) {
      const take = chunk.length > max - rows ? chunk.slice(0, max - rows) : chunk;
      if (o.format === 'csv') await out.write(take.map((r) => `${csvLine(r)}\n`).join(''));
      else if (o.format === 'json') {
        await out.write(take.map((r, i) => `${rows + i === 0 ? '[\n' : ',\n'}  ${JSON.stringify(rowObject(s.columns, r))}`).join(''));
      } else kept.push(...take);
      rows += take.length;
      if (take.length < chunk.length) {
        truncated = true;
        left = chunk.length - take.length;
        break;
      }
    }
    if (o.format === 'json') await out.write(rows === 0 ? '[]\n' : '\n]\n');
    if (o.format === 'table') {
      await out.write(
        `${table(
          s.columns,
          kept.map((r) => r.map(tableCell)),
        )}\n`,
      );
      if (truncated) {
        const total = rows + left + (await s.rest());
        out.note(
          `showing ${rows.toLocaleString('en')} of ${total.toLocaleString('en')} rows; use --limit all (or a larger --limit) or --format csv for every row`,
        );
      }
    }
    return { rows, truncated };
  });
}

export interface QueryResult {
  source: string;
  columns: string[];
  rows: Row[];
  truncated: boolean;
}

/** The result as row objects, in memory (tests, small lookups): at most `limit` rows, every row by default. */
export async function runQuery(o: QueryOptions & { limit?: number }): Promise<QueryResult> {
  const limit = o.limit ?? Number.POSITIVE_INFINITY;
  return withQueryStream(o, async (s, source) => {
    const rows: Row[] = [];
    for await (const chunk of s.chunks()) {
      for (const r of chunk) {
        if (rows.length >= limit) return { source, columns: s.columns, rows, truncated: true };
        rows.push(rowObject(s.columns, r));
      }
    }
    return { source, columns: s.columns, rows, truncated: false };
  });
}

/** A row as an object keyed by the query's own column names (a repeated name keeps its last value). */
function rowObject(columns: string[], values: unknown[]): Row {
  const o: Row = {};
  columns.forEach((c, i) => {
    o[c] = values[i];
  });
  return o;
}

function tableCell(v: unknown): string | number | null {
  return v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v : String(v);
}

/** One RFC 4180 CSV line (no line end; UTF-8; lists and structs as JSON). */
export function csvLine(values: unknown[]): string {
  return values
    .map((v) => {
      const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}

/** RFC 4180 CSV of an in-memory result. */
export function toCsv(r: QueryResult): string {
  return [csvLine(r.columns), ...r.rows.map((row) => csvLine(r.columns.map((c) => row[c])))].join('\n');
}
