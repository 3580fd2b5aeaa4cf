// Publishing: after a run whose transform and checks passed, the whole warehouse is copied to a snapshot file that
// analysts read (READ_ONLY), so they never wait for, nor see half of, the nightly writer. Publishing has two
// phases so that the run kernel can take it back: `stageSnapshot` copies into `<snapshot>.tmp` and swaps it into
// place atomically (rename), keeping the previous snapshot as a hard link `<snapshot>.prev`; then either
// `keep` (the run was recorded: the previous snapshot is dropped) or `restore` (a later step failed: the previous
// snapshot is renamed back, atomically). A reader opening the snapshot at any moment gets a whole file, old or new.
import { existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import type { Warehouse } from './db.ts';
import { ident, literal } from './sql.ts';

/** `warehouse.duckdb` → `warehouse.published.duckdb`. */
export function snapshotPath(db: string): string {
  return db.endsWith('.duckdb') ? `${db.slice(0, -'.duckdb'.length)}.published.duckdb` : `${db}.published`;
}

export interface StagedSnapshot {
  path: string;
  /** The run was recorded: drop the previous snapshot. */
  keep(): void;
  /** A later step failed: serve the previous snapshot again (or none, if there was none). */
  restore(): void;
}

/**
 * Copy the warehouse to its snapshot and swap it in. `amend(catalog)` may change the copy before it is closed
 * (the kernel writes the run's final ledger row into it). Null for an in-memory warehouse.
 */
export async function stageSnapshot(wh: Warehouse, db: string, amend?: (catalog: string) => Promise<void>): Promise<StagedSnapshot | null> {
  if (db === ':memory:') return null;
  const target = snapshotPath(db);
  const tmp = `${target}.tmp`;
  const prev = `${target}.prev`;
  for (const f of [tmp, `${tmp}.wal`, prev]) rmSync(f, { force: true });
  const catalog = String((await wh.one('select current_database() as c'))?.c);
  await wh.run(`attach ${literal(tmp)} as jg_snapshot`);
  try {
    await wh.run(`copy from database ${ident(catalog)} to jg_snapshot`);
    // Lets the copy answer "what did the nightly job publish, and when" on its own.
    await wh.run(
      `create or replace table jg_snapshot.meta.published as select now() as published_at, max(run_id) as run_id from ${ident(catalog)}.meta.runs`,
    );
    if (amend) await amend('jg_snapshot');
  } catch (err) {
    await wh.run('detach jg_snapshot').catch(() => undefined);
    rmSync(tmp, { force: true });
    throw err;
  }
  await wh.run('detach jg_snapshot');
  if (existsSync(`${tmp}.wal`)) throw new Error(`snapshot ${tmp} left a WAL behind`);
  const hadPrevious = existsSync(target);
  if (hadPrevious) linkSync(target, prev);
  renameSync(tmp, target);
  return {
    path: target,
    keep: () => rmSync(prev, { force: true }),
    restore: () => {
      if (hadPrevious) renameSync(prev, target);
      else rmSync(target, { force: true });
    },
  };
}
