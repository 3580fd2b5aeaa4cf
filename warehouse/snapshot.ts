// Publishing: after a run whose transform and checks passed, the whole warehouse is copied to a snapshot file that
// analysts read (READ_ONLY), so they never wait for, nor see half of, the nightly writer. Publishing has two
// phases so that the run kernel can take it back: `stageSnapshot` copies into `<snapshot>.tmp` and swaps it into
// place atomically (rename), keeping the previous snapshot as a hard link `<snapshot>.prev`; then either
// `keep` (the run was recorded: the previous snapshot is dropped) or `restore` (a later step failed: the previous
// snapshot is renamed back, atomically). A reader opening the snapshot at any moment gets a whole file, old or new.
//
// The snapshot says what it is in its own table `meta.published` (one row): the run that published it, when, and
// the as-of date its marts describe. That as-of is "the published as-of": `status` shows it, and the run kernel
// does not publish marts as of an earlier date over it unless told to (a backfill must not regress what analysts
// see; `run --publish`, `transform --publish`).
import { existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { col } from './columns.ts';
import { type Warehouse, withWarehouse } from './db.ts';
import { ident, literal } from './sql.ts';

/** `warehouse.duckdb` → `warehouse.published.duckdb`. */
export function snapshotPath(db: string): string {
  return db.endsWith('.duckdb') ? `${db.slice(0, -'.duckdb'.length)}.published.duckdb` : `${db}.published`;
}

/**
 * The file a snapshot is copied into before it is swapped in. DuckDB's spill directory for the snapshot is
 * `<snapshot>.spill` (db.ts `spillPath`), never this name: a reader killed while spilling must not leave a directory
 * in the way of the next publish.
 */
export function publishTempPath(snapshot: string): string {
  return `${snapshot}.tmp`;
}

/** The published snapshot's own record of itself (its `meta.published` row). */
export interface Published {
  run_id: number;
  /** The as-of date (YYYY-MM-DD) its marts describe; null only when unknown (no as-of was ever set). */
  as_of: string | null;
  published_at: string;
}

// Snapshots published before `meta.published.as_of` existed: the as-of their transform ran with (meta.params).
const PUBLISHED_SQL = (catalog: string, hasAsOf: boolean) => `
  select p.run_id, p.published_at::varchar as published_at,
         ${hasAsOf ? "strftime(p.as_of, '%Y-%m-%d')" : `(select value from ${ident(catalog)}.meta.params where name = 'as_of')`} as as_of
  from ${ident(catalog)}.meta.published p limit 1`;
const PUBLISHED_COLS = { run_id: col.int(), published_at: col.timestamp(), as_of: col.nullable(col.text()) };

async function readPublishedIn(wh: Warehouse, catalog: string): Promise<Published | null> {
  const cols = await wh.rows(
    "select column_name as c from information_schema.columns where table_catalog = ? and table_schema = 'meta' and table_name = 'published'",
    [catalog],
    { c: col.text() },
  );
  if (!cols.length) return null;
  return (
    (await wh.row(
      PUBLISHED_SQL(
        catalog,
        cols.some((x) => x.c === 'as_of'),
      ),
      PUBLISHED_COLS,
    )) ?? null
  );
}

/** What the snapshot of warehouse `db` says it is; null when nothing is published. Opens the snapshot read-only. */
export async function readPublished(db: string): Promise<Published | null> {
  const path = snapshotPath(db);
  if (db === ':memory:' || !existsSync(path)) return null;
  return withWarehouse(path, async (wh) => readPublishedIn(wh, String((await wh.one('select current_database() as c'))?.c)), { readOnly: true });
}

/** The same, read by the writer through its own connection (the snapshot attached read-only for the moment). */
export async function publishedOf(wh: Warehouse, db: string): Promise<Published | null> {
  const path = snapshotPath(db);
  if (db === ':memory:' || !existsSync(path)) return null;
  await wh.run(`attach ${literal(path)} as jg_published (read_only)`);
  try {
    return await readPublishedIn(wh, 'jg_published');
  } finally {
    await wh.run('detach jg_published');
  }
}

export interface StagedSnapshot {
  path: string;
  /** The run was recorded: drop the previous snapshot. */
  keep(): void;
  /** A later step failed: serve the previous snapshot again (or none, if there was none). */
  restore(): void;
}

/**
 * Copy the warehouse to its snapshot and swap it in; `asOf` is the date its marts describe. `amend(catalog)` may
 * change the copy before it is closed (the kernel writes the run's final ledger row into it). Null for an
 * in-memory warehouse.
 */
export async function stageSnapshot(
  wh: Warehouse,
  db: string,
  asOf: string | null,
  amend?: (catalog: string) => Promise<void>,
  /** Called between the finished copy and the swap (the kernel's fault injection: `JIANGUAN_FAULT=publish-swap`). */
  beforeSwap?: () => void,
): Promise<StagedSnapshot | null> {
  if (db === ':memory:') return null;
  const target = snapshotPath(db);
  const tmp = publishTempPath(target);
  const prev = `${target}.prev`;
  // Only the writer publishes and it holds the warehouse's lock: whatever is left under these names (a file, or a
  // directory) is from a process that died while publishing, and would make this publish fail.
  for (const f of [tmp, `${tmp}.wal`, prev]) rmSync(f, { force: true, recursive: true });
  const catalog = String((await wh.one('select current_database() as c'))?.c);
  await wh.run(`attach ${literal(tmp)} as jg_snapshot`);
  try {
    await wh.run(`copy from database ${ident(catalog)} to jg_snapshot`);
    // Lets the copy answer "what did the nightly job publish, when, and as of which date" on its own.
    await wh.run(
      `create or replace table jg_snapshot.meta.published as
       select now() as published_at, max(run_id) as run_id, ?::date as as_of from ${ident(catalog)}.meta.runs`,
      [asOf],
    );
    if (amend) await amend('jg_snapshot');
  } catch (err) {
    await wh.run('detach jg_snapshot').catch(() => undefined);
    rmSync(tmp, { force: true });
    throw err;
  }
  await wh.run('detach jg_snapshot');
  if (existsSync(`${tmp}.wal`)) throw new Error(`snapshot ${tmp} left a WAL behind`);
  try {
    beforeSwap?.();
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
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
