// The lockdown of an analyst's `query` connection and its self-test. The snapshot is attached read-only; DuckDB's
// in-memory default catalog `memory` is detached (it would take CREATE TABLE memory.x); no file or network access;
// no extension loaded or installed on demand; a memory limit; and the configuration locked, so the query itself
// cannot undo any of it. Only SELECT and EXPLAIN statements run (`QUERY_STATEMENTS`); any other is refused once
// DuckDB has parsed and bound it, before it runs, with the reason in one line.
import { JianguanError } from '../../lib/errors.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { literal } from '../../warehouse/sql.ts';

/** The statement types an analyst's query may be (DuckDB's names; SHOW, DESCRIBE, SUMMARIZE, PRAGMA x are SELECT). */
export const QUERY_STATEMENTS = ['SELECT', 'EXPLAIN'] as const;

/** Lock the connection down for analyst SQL (see the top of this file). */
export async function lockDown(wh: Warehouse, memoryLimit: string): Promise<void> {
  await wh.run(`set memory_limit = ${literal(memoryLimit)}`);
  await wh.run('set autoload_known_extensions = false');
  await wh.run('set autoinstall_known_extensions = false');
  await wh.run('set enable_external_access = false');
  // the connection already USEs the warehouse catalog; the in-memory one would be writable
  await wh.run('detach database if exists memory');
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

const WRITES = new Set(['CREATE', 'INSERT', 'UPDATE', 'DELETE', 'DROP', 'ALTER', 'MERGE_INTO', 'CREATE_FUNC', 'ANALYZE', 'VACUUM', 'COPY_DATABASE']);
const FILES = new Set(['COPY', 'ATTACH', 'EXPORT', 'LOAD', 'EXTENSION', 'UPDATE_EXTENSIONS']);

/** Why a statement of `type` (not one of QUERY_STATEMENTS) is refused, in one line (exit 2, `query-failed`). */
export function refusedStatement(type: string): JianguanError {
  const why = WRITES.has(type)
    ? 'the snapshot is open in read-only mode'
    : FILES.has(type)
      ? 'file system operations are disabled for analyst SQL (no files, databases, extensions or network)'
      : type === 'SET' || type === 'VARIABLE_SET' || type === 'DETACH'
        ? 'the configuration has been locked (memory limit, file access, catalog)'
        : 'it is not a query';
  return new JianguanError(
    'query-failed',
    `query refused: ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} statement cannot run here, ${why}; only ${QUERY_STATEMENTS.join(' and ')} statements run. Nothing was run`,
    { exitCode: 2, details: { statement_type: type } },
  );
}
