// Publishing: after a run whose transform and checks passed, the whole warehouse is copied to a snapshot file
// and renamed into place atomically. Analysts read the snapshot (READ_ONLY), so they never wait for, nor see
// half of, the nightly writer; a failed run publishes nothing and the previous snapshot stays.
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { Warehouse } from './db.ts';
import { ident, literal } from './sql.ts';

/** `warehouse.duckdb` → `warehouse.published.duckdb`. */
export function snapshotPath(db: string): string {
  return db.endsWith('.duckdb') ? `${db.slice(0, -'.duckdb'.length)}.published.duckdb` : `${db}.published`;
}

export async function publishSnapshot(wh: Warehouse, db: string): Promise<string | null> {
  if (db === ':memory:') return null;
  const target = snapshotPath(db);
  const tmp = `${target}.tmp`;
  for (const f of [tmp, `${tmp}.wal`]) rmSync(f, { force: true });
  const catalog = String((await wh.one('select current_database() as c'))?.c);
  await wh.run(`attach ${literal(tmp)} as jg_snapshot`);
  try {
    await wh.run(`copy from database ${ident(catalog)} to jg_snapshot`);
    // Lets the copy answer "what did the nightly job publish, and when" on its own.
    await wh.run(`create or replace table jg_snapshot.meta.published as select now() as published_at, max(run_id) as run_id from ${ident(catalog)}.meta.runs`);
  } finally {
    await wh.run('detach jg_snapshot');
  }
  if (existsSync(`${tmp}.wal`)) throw new Error(`snapshot ${tmp} left a WAL behind`);
  renameSync(tmp, target);
  return target;
}
