// The bounds of an analyst's `query`: its time limit and memory limit (options, environment, defaults), and what
// DuckDB's failure of a query means (a time limit reached, memory exhausted, the SQL rejected).
import { errorMessage, JianguanError, UsageError } from '../../lib/errors.ts';

/** The time limit of a query when neither --timeout nor $JIANGUAN_QUERY_TIMEOUT says otherwise (seconds). */
export const DEFAULT_QUERY_TIMEOUT_S = 60;
/** DuckDB's memory_limit for a query when neither --memory-limit nor $JIANGUAN_QUERY_MEMORY_LIMIT says otherwise. */
export const DEFAULT_QUERY_MEMORY_LIMIT = '2GB';
/**
 * Seconds past the time limit a query is given to stop once interrupted. DuckDB checks for an interrupt between
 * pieces of work; a statement that does not (a long single operator) is abandoned then: the query fails with
 * query-timeout all the same and its connection is closed whenever DuckDB lets go of it (the CLI exits at once).
 */
export const QUERY_TIMEOUT_GRACE_S = 5;

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

/** The query reached its time limit (exit 1); `abandoned`: DuckDB did not stop within the grace and was left. */
export function timeoutError(seconds: number, o: { cause?: unknown; abandoned?: boolean } = {}): JianguanError {
  return new JianguanError(
    'query-timeout',
    `query interrupted at its time limit of ${seconds} s${o.abandoned ? ` (and abandoned: DuckDB had not stopped ${QUERY_TIMEOUT_GRACE_S} s later)` : ''}: narrow it, or raise the limit with --timeout <seconds> (or $JIANGUAN_QUERY_TIMEOUT)`,
    { exitCode: 1, cause: o.cause, details: { timeout_seconds: seconds, abandoned: Boolean(o.abandoned) } },
  );
}

/** What DuckDB said, as the query's error: a time limit reached, memory exhausted, or the SQL rejected. */
export function queryError(err: unknown, o: { timedOut: boolean; seconds: number; memoryLimit: string }): JianguanError {
  if (err instanceof JianguanError) return err;
  const m = errorMessage(err);
  if (o.timedOut || /^INTERRUPT Error/m.test(m)) return timeoutError(o.seconds, { cause: err });
  if (/Out of Memory Error/i.test(m)) {
    return new JianguanError(
      'out-of-memory',
      `query ran out of memory at its limit of ${o.memoryLimit}: narrow it, or raise the limit with --memory-limit <size> (or $JIANGUAN_QUERY_MEMORY_LIMIT): ${m.split('\n')[0]}`,
      { exitCode: 1, cause: err },
    );
  }
  return new JianguanError('query-failed', `query failed: ${m.split('\n')[0]}`, { exitCode: 2, cause: err });
}
