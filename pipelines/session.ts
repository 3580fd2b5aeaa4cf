// Opening the warehouse for a command: lock handling, migrations, the validator macros.
import { validatorMacrosSql } from '../schemas/validators/macros.ts';
import { Warehouse } from '../warehouse/db.ts';
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
