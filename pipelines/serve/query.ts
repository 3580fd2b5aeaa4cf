// `jianguan query "<sql>"`: read-only SQL on the last published snapshot (or, with --live, on the warehouse
// itself when no writer holds it). The connection cannot write, attach or touch files.
import { existsSync } from 'node:fs';
import { errorMessage, JianguanError } from '../../lib/errors.ts';
import { type Row, Warehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';

export interface QueryOptions {
  db: string;
  sql: string;
  live?: boolean;
  limit?: number;
}

export interface QueryResult {
  source: string;
  columns: string[];
  rows: Row[];
  truncated: boolean;
}

export async function runQuery(o: QueryOptions): Promise<QueryResult> {
  const source = o.live ? o.db : snapshotPath(o.db);
  if (!existsSync(source)) {
    throw new JianguanError(
      'no-snapshot',
      `${source} does not exist: run \`jianguan run\` (or \`npm run demo\`) first, or query the warehouse with --live`,
      {
        exitCode: 2,
      },
    );
  }
  const wh = await Warehouse.open(source, { readOnly: true });
  try {
    await wh.run('set enable_external_access = false');
    await wh.run('set lock_configuration = true');
    try {
      const r = await wh.readSome(o.sql, o.limit ?? Number.MAX_SAFE_INTEGER - 1);
      return { source, ...r };
    } catch (err) {
      throw new JianguanError('query-failed', `query failed: ${errorMessage(err)}`, { exitCode: 2, cause: err });
    }
  } finally {
    wh.close();
  }
}

/** RFC 4180 CSV of the result (UTF-8; lists and structs as JSON). */
export function toCsv(r: QueryResult): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [r.columns.map(cell).join(','), ...r.rows.map((row) => r.columns.map((c) => cell(row[c])).join(','))].join('\n');
}
