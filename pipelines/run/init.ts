// `jianguan init`: create the warehouse file and its tables; safe to run any number of times.
import { openWarehouse } from '../../warehouse/schema/open.ts';

export async function runInit(o: { db: string }): Promise<{ db: string; tables: string[] }> {
  const wh = await openWarehouse(o.db);
  try {
    const rows = await wh.all(
      "select table_schema || '.' || table_name as t from information_schema.tables where table_schema in ('meta', 'raw') and table_type = 'BASE TABLE' order by 1",
    );
    return { db: o.db, tables: rows.map((r) => String(r.t)) };
  } finally {
    wh.close();
  }
}
