// Errors carry a stable kebab-case `code` (tests and callers match on it, never on the message),
// a `retryable` flag (transient vs terminal) and the exit code the CLI maps them to.
// Every code is listed in ERROR_CODES (a typo fails tsc); the README table "Error codes" is checked against it.

export type ExitCode = 0 | 1 | 2 | 3 | 75;

/** What each code means and the exit code the CLI ends with. */
export const ERROR_CODES = {
  // flags, config, the warehouse file
  usage: { exit: 2, meaning: 'bad command-line usage (unknown flag, bad value)' },
  'config-invalid': { exit: 2, meaning: 'the sources config is invalid; every problem is listed as `path: message`' },
  'unknown-source': { exit: 2, meaning: '`--source` names a source id the config does not have' },
  'invalid-input': { exit: 2, meaning: 'an input (config, risk config, file contents) does not have the expected shape' },
  'file-not-found': { exit: 2, meaning: 'a file or directory the command needs does not exist' },
  'permission-denied': { exit: 2, meaning: 'a file or directory cannot be read or written with these permissions' },
  'disk-full': { exit: 1, meaning: 'no space left on the device (warehouse, temp or output directory)' },
  'warehouse-not-found': {
    exit: 2,
    meaning: 'the warehouse file does not exist (reading commands never create one): check `--db`, or create it with `init` or `run`',
  },
  'warehouse-locked': { exit: 75, meaning: 'another process holds the warehouse file (its PID is named); retry later' },
  'schedule-locked': { exit: 75, meaning: '`schedule`: another `jianguan schedule` runs on this warehouse (its PID and host are named)' },
  'schedule-aborted': { exit: 1, meaning: '`schedule`: a second SIGINT/SIGTERM stopped it during a run (the run is left unfinished, as if killed)' },
  'warehouse-open-failed': { exit: 1, meaning: 'DuckDB cannot open the warehouse file (corrupt, not a DuckDB file, …)' },
  'warehouse-io-error': { exit: 1, meaning: 'DuckDB failed to read or write a file (IO Error)' },
  'catalog-error': { exit: 2, meaning: 'a table, schema or column DuckDB was asked for does not exist (Catalog Error)' },
  'schema-outdated': { exit: 2, meaning: 'the warehouse is at an older schema version (or none): run `init`' },
  'schema-newer': { exit: 2, meaning: 'the warehouse was written by a newer jianguan' },
  'nested-transaction': { exit: 1, meaning: 'a programming error: a transaction was opened inside another' },
  'out-of-memory': {
    exit: 1,
    meaning:
      'DuckDB ran out of memory: a load, lower --memory-limit / --part-records or free memory; a `query`, narrow it or raise its --memory-limit',
  },
  'query-result-mismatch': { exit: 1, meaning: 'a query result column does not have the type the code expects (named in the message)' },
  // analysts and auditors
  'query-failed': { exit: 2, meaning: '`query`: DuckDB rejected the SQL, or it is not a SELECT/EXPLAIN (refused before it runs)' },
  'no-snapshot': { exit: 2, meaning: '`query`, `verify`, `lineage`, `graph`: no published snapshot yet (run the nightly job, or use --live)' },
  'query-timeout': {
    exit: 1,
    meaning:
      '`query`: interrupted at its time limit (60 s by default; abandoned if DuckDB has not stopped 5 s later): narrow it, or raise `--timeout` / `$JIANGUAN_QUERY_TIMEOUT`',
  },
  'query-lockdown-failed': {
    exit: 1,
    meaning:
      "`query`: the self-test found the connection's lockdown incomplete (writable, external access, extensions, configuration not locked); nothing was run",
  },
  'run-not-found': { exit: 2, meaning: '`runs show`: no such run in meta.runs (without --live: in neither the snapshot nor the status document)' },
  'manifest-not-latest': { exit: 1, meaning: 'a run manifest can only be recorded for the latest run' },
  'lineage-unknown-table': { exit: 2, meaning: '`lineage`: the table is unknown or ambiguous' },
  'lineage-bad-key': { exit: 2, meaning: "`lineage`: the key does not fit the table's key columns" },
  'lineage-row-not-found': { exit: 2, meaning: '`lineage`: no row with that key' },
  // transform
  'model-invalid': { exit: 1, meaning: 'a model file under sql/ is malformed (header, key, name)' },
  'model-cycle': { exit: 1, meaning: 'the models depend on each other in a cycle' },
  'model-unknown-ref': { exit: 1, meaning: 'a model reads a table that is neither a model nor a source' },
  'model-unknown-select': { exit: 2, meaning: '`--select` names no model' },
  'model-missing-upstream': { exit: 2, meaning: 'a selected model reads a model that was never built' },
  'model-failed': { exit: 1, meaning: 'a model failed to build (the previous table stays readable)' },
  // the run kernel (pipelines/run/kernel.ts): the run is recorded failed and the previous snapshot stays served
  'check-failed': { exit: 1, meaning: 'a cross-model integrity check failed after the transform' },
  'injected-fault': { exit: 1, meaning: 'a failure injected with JIANGUAN_FAULT=<step> (for tests and drills)' },
  'openlineage-failed': { exit: 1, meaning: 'the run succeeded and is published, but its OpenLineage COMPLETE event could not be written' },
  // loading: a file that fails as a whole (it becomes a failed batch, the other files still load; exit 3)
  'empty-file': { exit: 3, meaning: 'the file has no header line' },
  'undecodable-bytes': { exit: 3, meaning: 'bytes that are not valid in the declared encoding' },
  'unclosed-quote': { exit: 3, meaning: 'a quoted field is not closed before the end of the file' },
  'missing-columns': { exit: 3, meaning: 'required columns are missing from the header (the closest unmapped headers are named)' },
  'empty-column': { exit: 3, meaning: 'a required column is empty in every record of the file (it fails as a whole, not record by record)' },
  'duplicate-header': { exit: 3, meaning: 'two header columns have the same name' },
  'forbidden-header': { exit: 3, meaning: 'a header name is not allowed (e.g. __proto__)' },
  'empty-header': { exit: 3, meaning: 'a header name is empty' },
  'io-error': { exit: 3, meaning: 'the file cannot be read' },
  'file-changed': { exit: 3, meaning: 'the file changed while it was being loaded (loaded again next run)' },
  'load-error': { exit: 3, meaning: 'the batch could not be written to the warehouse' },
  'known-on-missing': { exit: 3, meaning: "the source takes each file's date from its path (known_on: path) and this path has none" },
  'not-csv': { exit: 3, meaning: 'the file is not text but a workbook, PDF, archive or other binary format (named in the message)' },
  'header-too-long': { exit: 3, meaning: 'no line break within the first MiB of the header: not a CSV file, or a wrong delimiter/encoding' },
  'invalid-json': { exit: 3, meaning: 'a json source file is not a valid JSON document (the message gives the byte offset and line)' },
  'json-no-records': { exit: 3, meaning: "a json source file has no array where the source's record_path points" },
  'not-parquet': { exit: 3, meaning: 'a parquet source file is not a readable Parquet file (or is damaged)' },
  'not-xlsx': { exit: 3, meaning: 'an xlsx source file is not a readable Excel workbook (an old .xls, a damaged zip, …)' },
  'xlsx-sheet-missing': { exit: 3, meaning: "the workbook has no sheet of the source's xlsx.sheet (the message lists the sheets it has)" },
  'control-character': { exit: 3, meaning: 'the header holds a control character (NUL, …); in a data record it rejects the record instead' },
  // loading: internal consistency
  'record-count-mismatch': { exit: 1, meaning: 'a part of a file gave a different number of loaded + rejected records' },
  'count-mismatch': { exit: 1, meaning: 'a file: records read ≠ loaded + rejected' },
  'archive-mismatch': { exit: 1, meaning: 'the bytes written to the archive do not hash to the batch’s SHA-256' },
  'internal-error': { exit: 1, meaning: 'a bug in jianguan: the message says what failed; please report it' },
} as const satisfies Record<string, { exit: ExitCode; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes of a file that fails as a whole (they are also meta.batches.error_code; schemas/reasons.ts names them). */
export type FileErrorCode =
  | 'empty-file'
  | 'undecodable-bytes'
  | 'unclosed-quote'
  | 'missing-columns'
  | 'empty-column'
  | 'duplicate-header'
  | 'forbidden-header'
  | 'empty-header'
  | 'io-error'
  | 'file-changed'
  | 'load-error'
  | 'known-on-missing'
  | 'not-csv'
  | 'header-too-long'
  | 'invalid-json'
  | 'json-no-records'
  | 'not-parquet'
  | 'not-xlsx'
  | 'xlsx-sheet-missing'
  | 'control-character';

export class JianguanError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly exitCode: ExitCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; exitCode?: ExitCode; cause?: unknown; details?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.exitCode = opts.exitCode ?? 1;
    this.details = opts.details;
  }
}

/** Bad sources config, bad flags: exit 2. `issues` lists every problem as `path: message`. */
export class ConfigError extends JianguanError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], cause?: unknown) {
    super('config-invalid', issues.length ? `${message}\n${issues.map((i) => `  ${i}`).join('\n')}` : message, {
      exitCode: 2,
      cause,
      details: issues,
    });
    this.issues = issues;
  }
}

export class UsageError extends JianguanError {
  constructor(message: string) {
    super('usage', message, { exitCode: 2 });
  }
}

/** Another process holds the warehouse file: exit 75 (EX_TEMPFAIL), retry later. */
export class WarehouseLockedError extends JianguanError {
  readonly holderPid: number | undefined;
  constructor(path: string, holderPid: number | undefined, cause?: unknown) {
    super(
      'warehouse-locked',
      `warehouse ${path} is locked by another process${holderPid ? ` (PID ${holderPid})` : ''}; try again when it has finished`,
      { exitCode: 75, retryable: true, cause },
    );
    this.holderPid = holderPid;
  }
}

/** A whole file cannot be read safely; it becomes a failed batch, the other files still load. */
export class FileRejectedError extends JianguanError {
  constructor(code: FileErrorCode, message: string, cause?: unknown) {
    super(code, message, { exitCode: 3, cause });
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** DuckDB's error classes, as its messages begin (`IO Error: …`, `Catalog Error: …`). */
const DUCKDB_ERROR = /^(IO|Catalog|Out of Memory|Permission) Error: /;

/**
 * Any error as a JianguanError with a named code: itself, known Node and DuckDB failures (missing files, permissions,
 * a full disk, DuckDB IO and catalog errors), zod validation errors; anything else is `internal-error`, a bug.
 */
export function asJianguanError(err: unknown): JianguanError {
  if (err instanceof JianguanError) return err;
  const e = (err ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown; name?: unknown; issues?: unknown };
  const msg = errorMessage(err);
  const where = typeof e.path === 'string' ? e.path : '';
  const make = (code: ErrorCode, message: string) =>
    new JianguanError(code, message, { exitCode: ERROR_CODES[code].exit, retryable: code === 'warehouse-locked', cause: err });
  switch (e.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return make('file-not-found', where ? `no such file or directory: ${where}` : msg);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return make('permission-denied', where ? `permission denied${e.syscall ? ` (${e.syscall})` : ''}: ${where}` : msg);
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return make('disk-full', `no space left on the device${where ? ` (writing ${where})` : ''}: free space and run again`);
  }
  if (e.name === 'ZodError' && Array.isArray(e.issues)) {
    const issues = (e.issues as { path?: PropertyKey[]; message?: string }[]).map(
      (i) => `  ${(i.path ?? []).map(String).join('.') || '(root)'}: ${i.message ?? ''}`,
    );
    return make('invalid-input', `invalid input:\n${issues.join('\n')}`);
  }
  // DuckDB reports a full disk or a file-size limit (ulimit -f) from several error classes (IO, TransactionContext)
  if (/No space left on device|File too large/i.test(msg)) return make('disk-full', `no space left on the device: ${msg}`);
  // the buffer pool's limit, also from an appender ("Failed to append: could not allocate block of size …")
  if (/^(Failed to append: )?could not allocate block/i.test(msg))
    return make('out-of-memory', `Out of Memory Error: ${msg}\n  lower --memory-limit or --part-records, or free memory, and run again`);
  const duck = DUCKDB_ERROR.exec(msg);
  if (duck) {
    if (/No space left on device/i.test(msg)) return make('disk-full', `no space left on the device: ${msg}`);
    if (/Permission denied/i.test(msg) || duck[1] === 'Permission') return make('permission-denied', msg);
    if (duck[1] === 'Out of Memory') return make('out-of-memory', `${msg}\n  lower --memory-limit or --part-records, or free memory, and run again`);
    return make(duck[1] === 'IO' ? 'warehouse-io-error' : 'catalog-error', msg);
  }
  return make(
    'internal-error',
    // the stack is in the JSON log line (stderr not a terminal, or --log-level debug), not repeated here
    `internal error: ${msg}\n  this is a bug in jianguan: please report it with the command line and the output of --log-level debug`,
  );
}
