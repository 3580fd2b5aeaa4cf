// One schema: every table exists from the first open, versions are recorded, read-only opens never write and
// refuse a file of another version instead of migrating it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { withWarehouse } from '../db.ts';
import { migrations, SCHEMA_VERSION } from './migrate.ts';
import { openWarehouse, withOpenWarehouse } from './open.ts';

const TABLES = `select table_schema || '.' || table_name as t from information_schema.tables
                where table_catalog = current_database() order by 1`;

describe('warehouse schema', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    db = join(dir, 'w.duckdb');
  });
  afterEach(() => cleanup());

  const errorOf = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: { code?: string; exitCode?: number }) => [e.code, e.exitCode],
    );

  it('numbers its migrations 1, 2, 3… and records each applied version once', async () => {
    expect(migrations().map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    (await openWarehouse(db)).close();
    (await openWarehouse(db)).close();
    const versions = await withWarehouse(db, (wh) => wh.all('select version from meta.schema_version order by 1'));
    expect(versions.map((r) => Number(r.version))).toEqual(migrations().map((m) => m.version));
  });

  it('creates every table the readers use at the first open, before any load or transform', async () => {
    const tables = await withOpenWarehouse(db, async (wh) => (await wh.all(TABLES)).map((r) => String(r.t)));
    for (const t of [
      'meta.runs',
      'meta.batches',
      'meta.rejects',
      'meta.checks',
      'meta.params',
      'meta.param_history',
      'meta.models',
      'meta.file_checks',
      'meta.run_manifests',
      'meta.run_tables',
      'history.runs',
      'history.entity_class_events',
      'history.alert_events',
      'history.entity_class',
      'history.alert_state',
      'raw.license',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('opens read-only without writing a byte, and refuses older, newer and missing files', async () => {
    (await openWarehouse(db)).close();
    const before = { bytes: readFileSync(db), mtime: statSync(db).mtimeMs };
    const version = await withOpenWarehouse(db, (wh) => wh.scalarNumber('select max(version) from meta.schema_version'), { readOnly: true });
    expect(version).toBe(SCHEMA_VERSION);
    expect(readFileSync(db).equals(before.bytes)).toBe(true);
    expect(statSync(db).mtimeMs).toBe(before.mtime);

    const missing = join(dir, 'none.duckdb');
    expect(await errorOf(openWarehouse(missing, { readOnly: true }))).toEqual(['warehouse-not-found', 2]);
    expect(existsSync(missing)).toBe(false);

    await withWarehouse(db, (wh) => wh.run('delete from meta.schema_version where version > 1'));
    expect(await errorOf(openWarehouse(db, { readOnly: true }))).toEqual(['schema-outdated', 2]);
    // a writing open migrates an older file (the migrations are idempotent over what version 1 had created)
    (await openWarehouse(db)).close();
    expect(await withOpenWarehouse(db, (wh) => wh.scalarNumber('select max(version) from meta.schema_version'), { readOnly: true })).toBe(
      SCHEMA_VERSION,
    );

    await withWarehouse(db, (wh) => wh.run('insert into meta.schema_version (version) values (?)', [SCHEMA_VERSION + 1]));
    expect(await errorOf(openWarehouse(db, { readOnly: true }))).toEqual(['schema-newer', 2]);
    expect(await errorOf(openWarehouse(db))).toEqual(['schema-newer', 2]);
  });
});
