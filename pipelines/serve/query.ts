// `jianguan query "<sql>"`: read-only SQL on the last published snapshot (or, with --live, on the warehouse
// itself when no writer holds it). The connection cannot write, attach or touch files, and is bounded: a time limit
// interrupts the query (--timeout, $JIANGUAN_QUERY_TIMEOUT, 60 s by default) and DuckDB's memory_limit caps its
// buffer pool (--memory-limit, $JIANGUAN_QUERY_MEMORY_LIMIT, 2GB by default). Before the first statement a self-test
// reads the lockdown back from DuckDB (read-only, external access off, extension autoload/autoinstall off,
// configuration locked) and refuses to run the query if any of it does not hold.
// Machine formats (csv, json) stream every row of the result (or the first --limit rows) as DuckDB hands them over,
// respecting the reader's pace; the table format shows at most TABLE_CAP rows unless told otherwise, and says so.
import { existsSync } from 'node:fs';
import { JianguanError, UsageError } from '../../lib/errors.ts';
import { table } from '../../lib/format.ts';
import { type Row, type RowStream, StatementCountError, StatementTypeError, Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { QUERY_TIMEOUT_GRACE_S, queryError, queryMemoryLimit, queryTimeoutSeconds, timeoutError } from './query-limits.ts';
import { lockDown, QUERY_STATEMENTS, refusedStatement, requireLockdown } from './query-lockdown.ts';

export { DEFAULT_QUERY_MEMORY_LIMIT, DEFAULT_QUERY_TIMEOUT_S, queryMemoryLimit, queryTimeoutSeconds } from './query-limits.ts';
export { lockDown, lockdownProblems, requireLockdown } from './query-lockdown.ts';

export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** Rows the table format shows when no --limit is given (a screen, not a data export). */
export const TABLE_CAP = 1000;

/** Rows the table format counts beyond what it shows, to say "showing n of N" (more: "of more than N"). */
export const REST_COUNT_CAP = 1_000_000;

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

/**
 * Open the snapshot (or the live warehouse) read-only in an instance of its own, lock it down, self-test the
 * lockdown, start the one statement of `o.sql` under its time limit, hand its stream over. The limit covers the
 * statement and the reading of its rows: at the limit DuckDB is interrupted, and if it has not stopped
 * QUERY_TIMEOUT_GRACE_S later the query fails all the same (query-timeout) and its connection is closed whenever
 * DuckDB lets go of it: no query outlives its limit by more than the grace.
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
  const wh = await Warehouse.open(source, { readOnly: true, isolated: true });
  const state = { timedOut: false, seconds, memoryLimit };
  const timers: NodeJS.Timeout[] = [];
  let abandon: (err: Error) => void = () => undefined;
  const abandoned = new Promise<never>((_, reject) => {
    abandon = reject;
  });
  const work = (async () => {
    try {
      await lockDown(wh, memoryLimit);
    } catch (err) {
      throw queryError(err, state);
    }
    await requireLockdown(wh);
    timers.push(
      setTimeout(() => {
        state.timedOut = true;
        // never cleared: an abandoned statement still gets its (late) interrupt, and its connection then closes
        if (interruptLost()) setTimeout(() => wh.interrupt(), (QUERY_TIMEOUT_GRACE_S + 1) * 1000);
        else wh.interrupt();
        timers.push(setTimeout(() => abandon(timeoutError(seconds, { abandoned: true })), QUERY_TIMEOUT_GRACE_S * 1000));
      }, seconds * 1000),
    );
    return consume(guard(await startStream(wh, o.sql, state), state), source);
  })();
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  try {
    return await Promise.race([done, abandoned]);
  } finally {
    for (const t of timers) clearTimeout(t);
    // a statement DuckDB has not let go of yet: close its connection once it does (closing now would wait for it)
    if (settled) wh.close();
    else done.then(wh.close.bind(wh), wh.close.bind(wh));
  }
}

/**
 * JIANGUAN_FAULT=query-interrupt-lost: the interrupt at the time limit reaches DuckDB only a second after the
 * grace, as if DuckDB had not answered it (how the abandoning of a query is tested).
 */
const interruptLost = () =>
  (process.env.JIANGUAN_FAULT ?? '')
    .split(',')
    .map((f) => f.trim())
    .includes('query-interrupt-lost');

interface QueryState {
  timedOut: boolean;
  seconds: number;
  memoryLimit: string;
}

/** The stream of the one statement of `sql`, if it is a query (QUERY_STATEMENTS). */
async function startStream(wh: Warehouse, sql: string, state: QueryState): Promise<RowStream> {
  try {
    return await wh.stream(sql, { only: QUERY_STATEMENTS });
  } catch (err) {
    if (err instanceof StatementTypeError) throw refusedStatement(err.statementType);
    if (err instanceof StatementCountError) {
      throw new UsageError(
        err.statements === 0
          ? 'query: the text has no SQL statement'
          : `query: the text has ${err.statements} SQL statements; give one statement per \`jianguan query\` (only its result would be shown)`,
      );
    }
    throw queryError(err, state);
  }
}

/** An error DuckDB meets while producing rows (a failed cast on row 5,000) is the query's; so is the time limit. */
function guard(s: RowStream, state: QueryState): RowStream {
  const failed = (err: unknown) => queryError(err, state);
  return {
    columns: s.columns,
    async *chunks() {
      try {
        for await (const chunk of s.chunks()) {
          if (state.timedOut) throw timeoutError(state.seconds);
          yield chunk;
        }
      } catch (err) {
        throw failed(err);
      }
      if (state.timedOut) throw timeoutError(state.seconds);
    },
    rest: (max) =>
      s.rest(max).then(
        (n) => (state.timedOut ? Promise.reject(timeoutError(state.seconds)) : n),
        (err) => Promise.reject(failed(err)),
      ),
  };
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
