// The warehouse's schema, in one place: numbered migrations (NNN-name.sql beside this file) applied in order, each
// in its own transaction together with the row recording its version in meta.schema_version. Every table exists
// from `init` on, so no reader has to probe whether one exists yet. A migration is never edited once released:
// a change to the schema is a new file with the next number. Raw tables are the exception: their columns follow
// the feed specs (raw-tables.ts), so they are reconciled on every writing open (columns may grow, never change).
import { readdirSync, readFileSync } from 'node:fs';
import { JianguanError } from '../../lib/errors.ts';
import { packagePath } from '../../lib/paths.ts';
import type { Warehouse } from '../db.ts';
import { reconcileRawTables } from './raw-tables.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const DIR = packagePath('warehouse', 'schema');

/** The migrations, in order; their numbers must run 1, 2, 3… without gaps. */
export function migrations(): Migration[] {
  const list = readdirSync(DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(`${DIR}/${f}`, 'utf8') }));
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`warehouse/schema: migration ${m.version}-${m.name} out of sequence (expected ${i + 1})`);
  });
  return list;
}

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = migrations().length;

/** The version a warehouse file is at: 0 for a new (empty) file. */
export async function schemaVersion(wh: Warehouse): Promise<number> {
  const known = await wh.scalarNumber(
    "select count(*) from information_schema.tables where table_catalog = current_database() and table_schema = 'meta' and table_name = 'schema_version'",
  );
  return known ? wh.scalarNumber('select coalesce(max(version), 0) from meta.schema_version') : 0;
}

/** Bring a writable warehouse to SCHEMA_VERSION; the versions applied (empty when it was current). */
export async function migrate(wh: Warehouse): Promise<number[]> {
  const at = await schemaVersion(wh);
  if (at > SCHEMA_VERSION) throw newerSchema(wh.path, at);
  const applied: number[] = [];
  for (const m of migrations().filter((x) => x.version > at)) {
    await wh.transaction(async (tx) => {
      await tx.runScript(m.sql);
      await tx.run('insert into meta.schema_version (version) values (?)', [m.version]);
    });
    applied.push(m.version);
  }
  const altered = await reconcileRawTables(wh);
  // DuckDB binds CHECK constraints when it replays an ALTER TABLE from the WAL, and that fails on open ("Failure
  // while replaying WAL file … GetDefaultDatabase", duckdb/duckdb#18259, #20543): a crash before the next
  // checkpoint would leave a file that cannot be opened. Checkpoint at once, so no schema change stays in the WAL.
  if (applied.length > 0 || altered > 0) await wh.run('checkpoint');
  return applied;
}

/** For read-only opens: the file must be a warehouse at exactly this code's version (nothing is written to fix it). */
export async function requireCurrentSchema(wh: Warehouse): Promise<void> {
  const at = await schemaVersion(wh);
  if (at === SCHEMA_VERSION) return;
  if (at > SCHEMA_VERSION) throw newerSchema(wh.path, at);
  throw new JianguanError(
    'schema-outdated',
    at === 0
      ? `${wh.path} is not a jianguan warehouse (no schema): create it with \`jianguan init\` or \`jianguan run\``
      : `${wh.path} is at schema version ${at}, this jianguan reads ${SCHEMA_VERSION}: run \`jianguan init\` to migrate it`,
    { exitCode: 2 },
  );
}

function newerSchema(path: string, at: number): JianguanError {
  return new JianguanError(
    'schema-newer',
    `${path} is at schema version ${at}, written by a newer jianguan than this one (reads ${SCHEMA_VERSION})`,
    { exitCode: 2 },
  );
}
