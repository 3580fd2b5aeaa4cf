// The one module that talks to DuckDB. Everything else goes through `Warehouse`.
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { JianguanError, WarehouseLockedError, errorMessage } from '../lib/errors.ts';

// biome-ignore lint/suspicious/noExplicitAny: rows are JSON values of any shape (lists, structs)
export type Row = Record<string, any>;
export type SqlValue = DuckDBValue;
export type Params = SqlValue[] | Record<string, SqlValue>;

const LOCK_RE = /Could not set lock on file .*?Conflicting lock is held in .*?\(PID (\d+)\)/s;

export interface OpenOptions {
  readOnly?: boolean;
  threads?: number;
  memoryLimit?: string;
}

export class Warehouse {
  readonly path: string;
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  private inTransaction = false;

  private constructor(path: string, instance: DuckDBInstance, conn: DuckDBConnection) {
    this.path = path;
    this.instance = instance;
    this.conn = conn;
  }

  /** Open (creating if needed) the warehouse file. A file held by another process → WarehouseLockedError (exit 75). */
  static async open(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
    const options: Record<string, string> = { autoinstall_known_extensions: 'false' };
    if (opts.readOnly) options.access_mode = 'READ_ONLY';
    if (opts.threads) options.threads = String(opts.threads);
    if (opts.memoryLimit) options.memory_limit = opts.memoryLimit;
    let instance: DuckDBInstance;
    try {
      // One instance per file per process: two independent instances of one file do not see each other.
      instance = await DuckDBInstance.fromCache(path, options);
    } catch (err) {
      const m = LOCK_RE.exec(errorMessage(err));
      if (m) throw new WarehouseLockedError(path, Number(m[1]), err);
      throw new JianguanError('warehouse-open-failed', `cannot open warehouse ${path}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    const conn = await instance.connect();
    return new Warehouse(path, instance, conn);
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

  /** Rows as JSON-safe objects (BIGINT and DECIMAL come back as strings). */
  async all(sql: string, params?: Params): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as Row[];
  }

  /**
   * At most `limit` rows of a result, read in chunks as they stream (a large result is never read whole), with
   * its column names even when it has no rows, and whether rows were left unread.
   */
  async readSome(sql: string, limit: number, params?: Params): Promise<{ columns: string[]; rows: Row[]; truncated: boolean }> {
    const reader = await this.conn.streamAndReadUntil(sql, limit + 1, params);
    const rows = reader.getRowObjectsJson() as Row[];
    return { columns: reader.columnNames(), rows: rows.slice(0, limit), truncated: rows.length > limit };
  }

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

  close(): void {
    try {
      this.conn.closeSync();
    } finally {
      this.instance.closeSync();
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
