// The raw tables, one per feed, derived from the feed specs: a new field in a spec becomes a new (nullable)
// column here on the next writing open. Columns are only ever added, never changed or dropped.
import { FEEDS } from '../../schemas/feeds/index.ts';
import { rawColumns } from '../../schemas/sql-types.ts';
import type { Warehouse } from '../db.ts';
import { ident, qualified } from '../sql.ts';

export async function reconcileRawTables(wh: Warehouse): Promise<number> {
  let altered = 0;
  for (const feed of Object.values(FEEDS)) {
    const cols = rawColumns(feed);
    const table = qualified('raw', feed.name);
    await wh.run(`create table if not exists ${table} (${cols.map(([n, t]) => `${ident(n)} ${t}`).join(', ')})`);
    const existing = new Set(
      (await wh.all('select column_name from information_schema.columns where table_schema = ? and table_name = ?', ['raw', feed.name])).map((r) =>
        String(r.column_name),
      ),
    );
    for (const [n, t] of cols) {
      if (existing.has(n)) continue;
      await wh.run(`alter table ${table} add column ${ident(n)} ${t.replace(' NOT NULL', '')}`);
      altered++;
    }
  }
  return altered;
}
