// Opening the warehouse for a command: lock handling, migrations, the validator macros.
import { validatorMacrosSql } from '../schemas/validators/macros.ts';
import { Warehouse } from '../warehouse/db.ts';
import { literal } from '../warehouse/sql.ts';
import { migrate } from './migrate.ts';

export async function openWarehouse(path: string, opts: { memoryLimit?: string; threads?: number } = {}): Promise<Warehouse> {
  const wh = await Warehouse.open(path, opts);
  try {
    await migrate(wh);
    // Temporary macros: they live with the session, so a code update never meets stale definitions in the file.
    await wh.runScript(validatorMacrosSql().replace(/create\s+or\s+replace\s+macro/gi, 'create or replace temp macro'));
    return wh;
  } catch (err) {
    wh.close();
    throw err;
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
