// `jianguan query "<sql>"`: read-only SQL on the last published snapshot (or, with --live, on the warehouse
// itself when no writer holds it). The connection cannot write, attach or touch files, and is bounded: a time limit
// interrupts the query (--timeout, $JIANGUAN_QUERY_TIMEOUT, 60 s by default) and DuckDB's memory_limit caps its
// buffer pool (--memory-limit, $JIANGUAN_QUERY_MEMORY_LIMIT, 2GB by default). Before the first statement a self-test
// reads the lockdown back from DuckDB (read-only, external access off, extension autoload/autoinstall off,
// configuration locked) and refuses to run the query if any of it does not hold.
// Machine formats (csv, json) stream every row of the result (or the first --limit rows) as DuckDB hands them over,
// respecting the reader's pace; the table format shows at most TABLE_CAP rows unless told otherwise, and says so.
import { existsSync } from 'node:fs';
import { errorMessage, JianguanError, UsageError } from '../../lib/errors.ts';
import { table } from '../../lib/format.ts';
import { col } from '../../warehouse/columns.ts';
import { type Row, type RowStream, StatementCountError, Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { literal } from '../../warehouse/sql.ts';

export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** Rows the table format shows when no --limit is given (a screen, not a data export). */
export const TABLE_CAP = 1000;

/** Rows the table format counts beyond what it shows, to say "showing n of N" (more: "of more than N"). */
export const REST_COUNT_CAP = 1_000_000;

/** The time limit of a query when neither --timeout nor $JIANGUAN_QUERY_TIMEOUT says otherwise (seconds). */
export const DEFAULT_QUERY_TIMEOUT_S = 60;
/** DuckDB's memory_limit for a query when neither --memory-limit nor $JIANGUAN_QUERY_MEMORY_LIMIT says otherwise. */
export const DEFAULT_QUERY_MEMORY_LIMIT = '2GB';

/** A row limit: a positive integer, or every row. */
export type Limit = number | 'all';

export interface QueryOptions {
  db: string;
  sql: string;
  live?: boolean;
  /** Seconds before the query is interrupted (exit 1, `query-timeout`); default $JIANGUAN_QUERY_TIMEOUT, or 60. */
  timeoutSeconds?: number;
  /** DuckDB memory_limit (e.g. `512MB`); default $JIANGUAN_QUERY_MEMORY_LIMIT, or 2GB. */
  memoryLimit?: string;
}

/** The time limit in seconds: the option, else $JIANGUAN_QUERY_TIMEOUT, else DEFAULT_QUERY_TIMEOUT_S. */
export function queryTimeoutSeconds(given?: number): number {
  if (given !== undefined) return given;
  const env = process.env.JIANGUAN_QUERY_TIMEOUT?.trim();
  if (!env) return DEFAULT_QUERY_TIMEOUT_S;
  const n = /^\d+(\.\d+)?$/.test(env) ? Number(env) : Number.NaN;
  if (!(n > 0)) throw new UsageError(`$JIANGUAN_QUERY_TIMEOUT ${JSON.stringify(env)}: give a positive number of seconds, e.g. 300`);
  return n;
}

/** The memory limit: the option, else $JIANGUAN_QUERY_MEMORY_LIMIT, else DEFAULT_QUERY_MEMORY_LIMIT. */
export function queryMemoryLimit(given?: string): string {
  if (given !== undefined) return given;
  const env = process.env.JIANGUAN_QUERY_MEMORY_LIMIT?.trim();
  if (!env) return DEFAULT_QUERY_MEMORY_LIMIT;
  if (!/^\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)$/i.test(env)) {
    throw new UsageError(`$JIANGUAN_QUERY_MEMORY_LIMIT ${JSON.stringify(env)}: give a memory size, e.g. 4GB`);
  }
  return env;
}

/**
 * Lock the connection down for analyst SQL: a memory limit, no file or network access, no extension loaded or
 * installed on demand, and the configuration locked so the query itself cannot undo any of it.
 */
export async function lockDown(wh: Warehouse, memoryLimit: string): Promise<void> {
  await wh.run(`set memory_limit = ${literal(memoryLimit)}`);
  await wh.run('set autoload_known_extensions = false');
  await wh.run('set autoinstall_known_extensions = false');
  await wh.run('set enable_external_access = false');
  await wh.run('set lock_configuration = true');
}

const LOCKDOWN_SETTINGS: Record<string, string> = {
  enable_external_access: 'false',
  autoload_known_extensions: 'false',
  autoinstall_known_extensions: 'false',
  lock_configuration: 'true',
};

/** The self-test: what of the lockdown does not hold on this connection, as DuckDB itself reports it (empty: all). */
export async function lockdownProblems(wh: Warehouse): Promise<string[]> {
  const problems: string[] = [];
  const settings = await wh.rows(
    `select name, lower(value) as value from duckdb_settings() where name in (${Object.keys(LOCKDOWN_SETTINGS).map(literal).join(', ')})`,
    { name: col.text(), value: col.nullable(col.text()) },
  );
  for (const [name, want] of Object.entries(LOCKDOWN_SETTINGS)) {
    const got = settings.find((s) => s.name === name)?.value;
    if (got !== want) problems.push(`${name} is ${got ?? 'unknown'}, not ${want}`);
  }
  const writable = await wh.rows('select database_name as name from duckdb_databases() where not readonly and not internal order by 1', {
    name: col.text(),
  });
  for (const d of writable) problems.push(`database ${d.name} is attached read-write`);
  return problems;
}

/** Refuse to run analyst SQL on a connection whose lockdown does not hold (exit 1, `query-lockdown-failed`). */
export async function requireLockdown(wh: Warehouse): Promise<void> {
  const problems = await lockdownProblems(wh);
  if (problems.length) {
    throw new JianguanError(
      'query-lockdown-failed',
      `query refused: the read-only lockdown of ${wh.path} does not hold (${problems.join('; ')}); nothing was run. Please report this`,
      { exitCode: 1, details: problems },
    );
  }
}

function timeoutError(seconds: number, cause?: unknown): JianguanError {
  return new JianguanError(
    'query-timeout',
    `query interrupted at its time limit of ${seconds} s: narrow it, or raise the limit with --timeout <seconds> (or $JIANGUAN_QUERY_TIMEOUT)`,
    { exitCode: 1, cause, details: { timeout_seconds: seconds } },
  );
}

/** What DuckDB said, as the query's error: a time limit reached, memory exhausted, or the SQL rejected. */
function queryError(err: unknown, o: { timedOut: boolean; seconds: number; memoryLimit: string }): JianguanError {
  if (err instanceof JianguanError) return err;
  const m = errorMessage(err);
  if (o.timedOut || /^INTERRUPT Error/m.test(m)) return timeoutError(o.seconds, err);
  if (/Out of Memory Error/i.test(m)) {
    return new JianguanError(
      'out-of-memory',
      `query ran out of memory at its limit of ${o.memoryLimit}: narrow it, or raise the limit with --memory-limit <size> (or $JIANGUAN_QUERY_MEMORY_LIMIT): ${m}`,
      { exitCode: 1, cause: err },
    );
  }
  return new JianguanError('query-failed', `query failed: ${m}`, { exitCode: 2, cause: err });
}

/**
 * Open the snapshot (or the live warehouse) read-only, lock it down, self-test the lockdown, start the one statement
 * of `o.sql` under its time limit, hand its stream over. The limit covers the statement and the reading of its rows.
 */
export async function withQueryStream<T>(o: QueryOptions, consume: (s: RowStream, source: string) => Promise<T>): Promise<T> {
  const seconds = queryTimeoutSeconds(o.timeoutSeconds);
  const memoryLimit = queryMemoryLimit(o.memoryLimit);
  const source = o.live ? o.db : snapshotPath(o.db);
  if (!existsSync(source)) {
    throw new JianguanError(
      'no-snapshot',
      `${source} does not exist: run \`jianguan run\` (or \`npm run demo\`) first, or query the warehouse with --live`,
      { exitCode: 2 },
    );
  }
  const wh = await Warehouse.open(source, { readOnly: true });
  const state = { timedOut: false, seconds, memoryLimit };
  const failed = (err: unknown) => queryError(err, state);
  let timer: NodeJS.Timeout | undefined;
  try {
    try {
      await lockDown(wh, memoryLimit);
    } catch (err) {
      throw failed(err);
    }
    await requireLockdown(wh);
    timer = setTimeout(() => {
      state.timedOut = true;
      wh.interrupt();
    }, seconds * 1000);
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
          for await (const chunk of s.chunks()) {
            if (state.timedOut) throw timeoutError(seconds);
            yield chunk;
          }
        } catch (err) {
          throw failed(err);
        }
        if (state.timedOut) throw timeoutError(seconds);
      },
      rest: (max) =>
        s.rest(max).then(
          (n) => (state.timedOut ? Promise.reject(timeoutError(seconds)) : n),
          (err) => Promise.reject(failed(err)),
        ),
    };
    return await consume(guarded, source);
  } finally {
    if (timer) clearTimeout(timer);
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
        // counted, not converted, and only so far: `--limit 5` over a billion rows must not read them all
        const more = await s.rest(REST_COUNT_CAP);
        const total = rows + left + more;
        out.note(
          `showing ${rows.toLocaleString('en')} of ${more >= REST_COUNT_CAP ? 'more than ' : ''}${total.toLocaleString('en')} rows; use --limit all (or a larger --limit) or --format csv for every row`,
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
