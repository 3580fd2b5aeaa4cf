// The one module that talks to DuckDB. Everything else goes through `Warehouse`.

import { resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, StatementType } from '@duckdb/node-api';
import type { z } from 'zod';
import { errorMessage, JianguanError, WarehouseLockedError } from '../lib/errors.ts';
import type { Columns, RowOf } from './columns.ts';
import { typedJson } from './db-values.ts';
import { checkRow, mismatch, objectOf, type Row, type RowStream, StatementCountError, StatementTypeError } from './rows.ts';

export { type Row, type RowStream, StatementCountError, StatementTypeError } from './rows.ts';

export type SqlValue = DuckDBValue;
export type Params = SqlValue[] | Record<string, SqlValue>;

const LOCK_RE = /Could not set lock on file .*?Conflicting lock is held in .*?\(PID (\d+)\)/s;

export interface OpenOptions {
  readOnly?: boolean;
  threads?: number;
  memoryLimit?: string;
  /** An instance of its own, never shared with another `open` of the file (a query's lockdown is instance-wide). */
  isolated?: boolean;
}

/** The catalog every warehouse file is attached as (whatever the file is called): what `current_database()` says. */
export const WAREHOUSE_CATALOG = 'jianguan';

/** DuckDB's spill directory (temp_directory) for a warehouse or snapshot file. */
export function spillPath(file: string): string {
  return `${file}.spill`;
}

interface SharedInstance {
  instance: Promise<DuckDBInstance>;
  refs: number;
  readOnly: boolean;
}

const INSTANCES = new Map<string, SharedInstance>();

async function attachFile(path: string, key: string, options: Record<string, string>, readOnly: boolean): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', options);
  try {
    const conn = await instance.connect();
    try {
      await conn.run(`attach ${sqlString(key)} as ${WAREHOUSE_CATALOG}${readOnly ? ' (read_only)' : ''}`);
    } finally {
      conn.closeSync();
    }
    return instance;
  } catch (err) {
    instance.closeSync();
    const m = LOCK_RE.exec(errorMessage(err));
    if (m) throw new WarehouseLockedError(path, Number(m[1]), err);
    throw new JianguanError('warehouse-open-failed', `cannot open warehouse ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

export class Warehouse {
  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  private readonly release: () => void;
  private inTransaction = false;

  private constructor(path: string, instance: DuckDBInstance, conn: DuckDBConnection, release: () => void) {
    this.path = path;
    this.instance = instance;
    this.conn = conn;
    this.release = release;
  }

  /**
   * Open (creating if needed) the warehouse file. A file held by another process → WarehouseLockedError (exit 75).
   *
   * The file is never DuckDB's default database: DuckDB names that catalog after the file's stem, so a warehouse
   * named `raw.duckdb` or `mart.duckdb` would make every `raw.x` / `mart.x` ambiguous (catalog or schema?). Each
   * file gets an in-memory instance that attaches it as the catalog `jianguan` (`WAREHOUSE_CATALOG`) and `USE`s
   * it, so `current_database()` is always `jianguan`. DuckDB's spill directory is `<file>.spill` (never the
   * publish's `<file>.tmp`, see snapshot.ts).
   */
  static async open(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
    const options: Record<string, string> = { autoinstall_known_extensions: 'false' };
    // $JIANGUAN_THREADS caps DuckDB's threads for every command (a shared machine; the test scripts set 1)
    const threads = opts.threads ?? (Number(process.env.JIANGUAN_THREADS) || undefined);
    if (threads) options.threads = String(threads);
    if (opts.memoryLimit) options.memory_limit = opts.memoryLimit;
    if (path === ':memory:') {
      const instance = await DuckDBInstance.create(':memory:', options);
      return new Warehouse(path, instance, await instance.connect(), () => instance.closeSync());
    }
    const key = resolve(path);
    // One instance per file per process (two independent instances of one file do not see each other's writes),
    // unless asked for one of its own
    let shared = INSTANCES.get(key);
    if (shared && shared.readOnly !== Boolean(opts.readOnly)) {
      throw new JianguanError(
        'warehouse-open-failed',
        `cannot open warehouse ${path} ${opts.readOnly ? 'read-only' : 'for writing'}: this process holds it ${shared.readOnly ? 'read-only' : 'for writing'}`,
      );
    }
    if (opts.isolated) shared = undefined;
    if (!shared) {
      options.temp_directory = spillPath(key);
      const opening = attachFile(path, key, options, Boolean(opts.readOnly));
      shared = { instance: opening, refs: 0, readOnly: Boolean(opts.readOnly) };
      if (!opts.isolated) INSTANCES.set(key, shared);
      opening.catch(() => {
        if (INSTANCES.get(key) === shared) INSTANCES.delete(key);
      });
    }
    const entry = shared;
    const instance = await entry.instance;
    entry.refs++;
    const release = () => {
      entry.refs--;
      if (entry.refs > 0) return;
      if (INSTANCES.get(key) === entry) INSTANCES.delete(key);
      instance.closeSync();
    };
    try {
      const conn = await instance.connect();
      await conn.run(`use ${WAREHOUSE_CATALOG}`);
      return new Warehouse(path, instance, conn, release);
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Run statements that return nothing of interest. */
  async run(sql: string, params?: Params): Promise<void> {
    await this.conn.run(sql, params);
  }

  /** Run an INSERT, UPDATE or DELETE; the number of rows it changed. */
  async runCounted(sql: string, params?: Params): Promise<number> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  /**
   * Typed rows: each column of `cols` (see `col` in columns.ts) is checked and coerced (BIGINT strings to numbers,
   * …); columns of the result not in `cols` are dropped. A missing column or a value of the wrong kind throws
   * JianguanError('query-result-mismatch') naming the column.
   */
  async rows<C extends Columns>(sql: string, cols: C): Promise<RowOf<C>[]>;
  async rows<C extends Columns>(sql: string, params: Params | undefined, cols: C): Promise<RowOf<C>[]>;
  async rows<C extends Columns>(sql: string, a: Params | C | undefined, b?: C): Promise<RowOf<C>[]> {
    const [params, cols] = b === undefined ? [undefined, a as C] : [a as Params | undefined, b];
    const schema = objectOf(cols);
    return (await this.all(sql, params)).map((r, i) => checkRow(schema, cols, r, i, sql));
  }

  /** The first typed row, or undefined when there is none. */
  async row<C extends Columns>(sql: string, cols: C): Promise<RowOf<C> | undefined>;
  async row<C extends Columns>(sql: string, params: Params | undefined, cols: C): Promise<RowOf<C> | undefined>;
  async row<C extends Columns>(sql: string, a: Params | C | undefined, b?: C): Promise<RowOf<C> | undefined> {
    const [params, cols] = b === undefined ? [undefined, a as C] : [a as Params | undefined, b];
    const r = await this.one(sql, params);
    return r === undefined ? undefined : checkRow(objectOf(cols), cols, r, 0, sql);
  }

  /** The first column of the first row, checked by `column` (e.g. `col.int()`); no row reads as NULL. */
  async scalar<T extends z.ZodType>(sql: string, column: T): Promise<z.output<T>>;
  async scalar<T extends z.ZodType>(sql: string, params: Params | undefined, column: T): Promise<z.output<T>>;
  async scalar<T extends z.ZodType>(sql: string, a: Params | T | undefined, b?: T): Promise<z.output<T>> {
    const [params, column] = b === undefined ? [undefined, a as T] : [a as Params | undefined, b];
    const r = await this.one(sql, params);
    const [name, value] = (r ? Object.entries(r)[0] : undefined) ?? ['(no row)', null];
    const out = column.safeParse(value);
    if (!out.success) throw mismatch(name, 0, out.error.issues[0]?.message ?? 'invalid value', sql);
    return out.data;
  }

  /** Untyped rows as JSON-safe objects (BIGINT and DECIMAL come back as strings): prefer `rows`. */
  async all(sql: string, params?: Params): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as Row[];
  }

  /**
   * The result of one statement, streamed: its column names at once, then its rows chunk by chunk (about 2,048 at a
   * time, never the whole result in memory) as arrays of typed JSON values (see `typedJson`). `rest()` counts the
   * rows not yet read without converting them (at most about `max`). A text of zero or several statements is refused
   * (StatementCountError); with `only`, a statement of another type (`SELECT`, `CREATE`, …) too (StatementTypeError),
   * once DuckDB has parsed and bound it and before it runs.
   */
  async stream(sql: string, opts: { only?: readonly string[] } = {}): Promise<RowStream> {
    let extracted: Awaited<ReturnType<DuckDBConnection['extractStatements']>>;
    try {
      extracted = await this.conn.extractStatements(sql);
    } catch (err) {
      // a text of no statement (blank, only comments or `;`) fails without a parser error to name
      const m = /^Failed to extract statements: (.*)/s.exec(errorMessage(err));
      if (!m) throw new StatementCountError(0);
      throw new Error(m[1], { cause: err });
    }
    if (extracted.count !== 1) throw new StatementCountError(extracted.count);
    const prepared = await extracted.prepare(0);
    const type = StatementType[prepared.statementType] ?? String(prepared.statementType);
    if (opts.only && !opts.only.includes(type)) throw new StatementTypeError(type);
    const result = await prepared.stream();
    const fetch = async () => {
      const chunk = await result.fetchChunk();
      return chunk && chunk.rowCount > 0 ? chunk : null;
    };
    return {
      columns: result.columnNames(),
      async *chunks() {
        for (let chunk = await fetch(); chunk; chunk = await fetch()) yield chunk.convertRows(typedJson) as unknown[][];
      },
      async rest(max = Number.POSITIVE_INFINITY) {
        let n = 0;
        for (let chunk = n < max ? await fetch() : null; chunk; chunk = n < max ? await fetch() : null) n += chunk.rowCount;
        return n;
      },
    };
  }

  /** The first untyped row: prefer `row`. */
  async one(sql: string, params?: Params): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  /** A single scalar as a JS number (counts, sums). */
  async scalarNumber(sql: string, params?: Params): Promise<number> {
    const row = await this.one(sql, params);
    const v = row ? Object.values(row)[0] : null;
    return v === null || v === undefined ? 0 : Number(v);
  }

  /**
   * Run `fn` in one transaction. DuckDB reports COMMIT as success after an earlier failed statement
   * while rolling everything back, so any error thrown inside `fn` leads to an explicit ROLLBACK here.
   */
  async transaction<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new JianguanError('nested-transaction', 'transactions do not nest');
    this.inTransaction = true;
    await this.conn.run('begin transaction');
    try {
      const result = await fn(this);
      await this.conn.run('commit');
      return result;
    } catch (err) {
      try {
        await this.conn.run('rollback');
      } catch {
        // the connection may already have rolled back; the original error is what matters
      }
      throw err;
    } finally {
      this.inTransaction = false;
    }
  }

  async createAppender(schema: string, table: string) {
    return this.conn.createAppender(table, schema);
  }

  /** Statements of a multi-statement script, split by DuckDB's parser (never by `;`). */
  async runScript(sql: string): Promise<void> {
    const extracted = await this.conn.extractStatements(sql);
    const n = extracted.count;
    for (let i = 0; i < n; i++) {
      const prepared = await extracted.prepare(i);
      await prepared.run();
    }
  }

  /**
   * Interrupt the statement running on this connection, from any moment (a timer): the statement (or the next
   * chunk of a streamed result) fails with DuckDB's "INTERRUPT Error: Interrupted!". Nothing running: no effect.
   */
  interrupt(): void {
    this.conn.interrupt();
  }

  close(): void {
    try {
      this.conn.closeSync();
    } finally {
      this.release();
    }
  }
}

/** Open, use and always close. */
export async function withWarehouse<T>(path: string, fn: (wh: Warehouse) => Promise<T>, opts?: OpenOptions): Promise<T> {
  const wh = await Warehouse.open(path, opts);
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}
