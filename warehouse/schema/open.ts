// Opening the warehouse for a command. Writing commands migrate it to the current schema; read-only commands
// (status, runs, run show, query, lineage) open it READ_ONLY, check its version and never write. Both install the
// session's temp macros: the SQL models' (macros.sql) and the ingest's validators (generated from the feed specs).
import { existsSync, readFileSync } from 'node:fs';
import { JianguanError } from '../../lib/errors.ts';
import { packagePath } from '../../lib/paths.ts';
import { validatorMacrosSql } from '../../schemas/validators/macros.ts';
import { type OpenOptions, Warehouse } from '../db.ts';
import { literal } from '../sql.ts';
import { migrate, requireCurrentSchema } from './migrate.ts';

let macros: string | undefined;

/** Every macro, as temp macros of this session. */
export function macrosSql(): string {
  macros ??=
    readFileSync(packagePath('warehouse', 'schema', 'macros.sql'), 'utf8') +
    validatorMacrosSql().replace(/create\s+or\s+replace\s+macro/gi, 'create or replace temp macro');
  return macros;
}

export async function openWarehouse(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
  if (opts.readOnly && path !== ':memory:' && !existsSync(path)) {
    throw new JianguanError('warehouse-not-found', `no warehouse at ${path}: create it with \`jianguan init\` or \`jianguan run\``, { exitCode: 2 });
  }
  const wh = await Warehouse.open(path, opts);
  try {
    if (opts.readOnly) await requireCurrentSchema(wh);
    else await migrate(wh);
    await wh.runScript(macrosSql());
    return wh;
  } catch (err) {
    wh.close();
    throw err;
  }
}

/** Open, use and always close. */
export async function withOpenWarehouse<T>(path: string, fn: (wh: Warehouse) => Promise<T>, opts?: OpenOptions): Promise<T> {
  const wh = await openWarehouse(path, opts);
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

/**
 * Gives a warehouse opened with a small buffer pool (for loading) DuckDB's default back (80% of RAM). RESET alone
 * changes the setting but not the pool's limit (a 1M-record transform then ran out of memory at the load's
 * 384 MiB); setting the default explicitly changes both.
 */
export async function restoreDefaultMemoryLimit(wh: Warehouse): Promise<void> {
  await wh.run('reset memory_limit');
  const value = (await wh.one("select current_setting('memory_limit') as v"))?.v;
  await wh.run(`set memory_limit = ${literal(String(value))}`);
}
