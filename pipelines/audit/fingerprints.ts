// Fingerprints of the tables analysts read: per mart table, SHA-256 over the sorted SHA-256s of its rows
// (each row as DuckDB's text of the whole row), so the fingerprint depends on the rows, not on their order. The run
// kernel records them at the end of every successful transform, before publishing (meta.run_fingerprints, and the
// run's manifest); `verify` recomputes them on the warehouse and on the published snapshot, so a value edited in
// either (an entity's class D → A) is caught and the table named.
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident } from '../../warehouse/sql.ts';

/**
 * The schemas fingerprinted: what analysts read. Not core: casting every row to text is the cost (measured on a
 * 196k-row wide table: ≈ 4× hashing its canonical text), and core tables grow with the raw rows (≈ 1M at the bench).
 */
export const FINGERPRINTED_SCHEMAS = ['mart'] as const;

export interface TableFingerprint {
  rows: number;
  sha256: string;
}

/** The fingerprinted tables of `catalog` (default: the warehouse itself), as `schema.table`, sorted. */
async function fingerprintedTables(wh: Warehouse, catalog: string | null): Promise<{ s: string; t: string }[]> {
  return wh.rows(
    `select table_schema as s, table_name as t from information_schema.tables
     where table_catalog = ${catalog ? '?' : 'current_database()'} and table_type = 'BASE TABLE'
       and table_schema in (${FINGERPRINTED_SCHEMAS.map((s) => `'${s}'`).join(', ')})
       and table_name not like '%\\_\\_new' escape '\\'
     order by 1, 2`,
    catalog ? [catalog] : [],
    { s: col.text(), t: col.text() },
  );
}

/** One table's fingerprint: row count and SHA-256 over its rows' SHA-256s in sorted order. */
export async function tableFingerprint(wh: Warehouse, table: string): Promise<TableFingerprint> {
  const r = await wh.row(
    `select count(*) as rows, sha256(coalesce(string_agg(h, '' order by h), '')) as sha256
     from (select sha256(x::varchar) as h from ${table} x)`,
    { rows: col.int(), sha256: col.text() },
  );
  return { rows: r?.rows ?? 0, sha256: r?.sha256 ?? '' };
}

/** Fingerprints of every fingerprinted table of `catalog` (an attached snapshot's name) or of the warehouse. */
export async function computeFingerprints(wh: Warehouse, catalog: string | null = null): Promise<Record<string, TableFingerprint>> {
  const out: Record<string, TableFingerprint> = {};
  for (const { s, t } of await fingerprintedTables(wh, catalog)) {
    const name = `${ident(s)}.${ident(t)}`;
    out[`${s}.${t}`] = await tableFingerprint(wh, catalog ? `${ident(catalog)}.${name}` : name);
  }
  return out;
}

/** Record run `runId`'s fingerprints of the warehouse as it is now (replacing any it had). */
export async function recordFingerprints(wh: Warehouse, runId: number): Promise<Record<string, TableFingerprint>> {
  const fp = await computeFingerprints(wh);
  await wh.transaction(async (tx) => {
    await tx.run('delete from meta.run_fingerprints where run_id = ?', [runId]);
    for (const [table, f] of Object.entries(fp)) {
      await tx.run('insert into meta.run_fingerprints values (?, ?, ?, ?)', [runId, table, f.rows, f.sha256]);
    }
  });
  return fp;
}

/** What run `runId` recorded (empty: it recorded none, e.g. a plain load). */
export async function runFingerprints(wh: Warehouse, runId: number, catalog: string | null = null): Promise<Record<string, TableFingerprint>> {
  const at = catalog ? `${ident(catalog)}.meta.run_fingerprints` : 'meta.run_fingerprints';
  const rows = await wh.rows(`select table_name, row_count, sha256 from ${at} where run_id = ? order by table_name`, [runId], {
    table_name: col.text(),
    row_count: col.int(),
    sha256: col.text(),
  });
  return Object.fromEntries(rows.map((r) => [r.table_name, { rows: r.row_count, sha256: r.sha256 }]));
}
