// The manifest of a run: what went in (code version, config hash, parameters, the input files with their hashes)
// and what came out (row counts of every table), stored as one JSON document per run whose SHA-256 is chained to
// the previous run's. Editing or deleting an old manifest, or a table's rows after the last run, then shows in
// `verify`; the per-table counts are also kept as rows (meta.run_tables) for plain SQL.
import { createHash } from 'node:crypto';
import { JianguanError } from '../../lib/errors.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';

/** Tables whose size a manifest records: the data layers and history, plus the ledger tables of meta. */
export async function tableCounts(wh: Warehouse): Promise<Record<string, number>> {
  const tables = await wh.all(
    `select table_schema as s, table_name as t from information_schema.tables
     where table_catalog = current_database() and table_type = 'BASE TABLE'
       and (table_schema in ('raw', 'staging', 'core', 'mart', 'ref', 'history')
            or (table_schema = 'meta' and table_name in ('batches', 'rejects', 'runs')))
       and table_name not like '%\\_\\_new' escape '\\'
     order by 1, 2`,
  );
  const out: Record<string, number> = {};
  for (const r of tables) out[`${r.s}.${r.t}`] = await wh.scalarNumber(`select count(*) from ${qualified(String(r.s), String(r.t))}`);
  return out;
}

export interface RunManifest {
  run_id: number;
  command: string;
  args: unknown;
  status: string;
  exit_code: number | null;
  started_at: string;
  finished_at: string | null;
  code_version: string | null;
  config_file: string | null;
  config_hash: string | null;
  params: Record<string, string>;
  inputs: {
    batch_id: number; source_id: string; feed: string; location: string; sha256: string; bytes: number; status: string;
    rows_read: number; rows_loaded: number; rows_rejected: number; duplicate_of: number | null;
  }[];
  tables: Record<string, number>;
  checks: { total: number; failed: number };
  prev_sha256: string | null;
}

export function manifestSha256(m: RunManifest): string {
  return createHash('sha256').update(JSON.stringify(m)).digest('hex');
}

async function buildManifest(wh: Warehouse, runId: number, prev: string | null): Promise<RunManifest> {
  const run = await wh.one(
    `select run_id, command, args, status, exit_code, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%g%z') as started_at,
            strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%g%z') as finished_at, code_version, config_file, config_hash
     from meta.runs where run_id = ?`,
    [runId],
  );
  if (!run) throw new JianguanError('run-not-found', `no run ${runId} in meta.runs`, { exitCode: 2 });
  const params = await wh.all('select name, value from meta.param_history where run_id = ? order by name', [runId]);
  const checks = await wh.one('select count(*) as total, count(*) filter (where not passed) as failed from meta.checks where run_id = ?', [runId]);
  const inputs = await wh.all(
    `select batch_id, source_id, feed, location, sha256, bytes, status, rows_read, rows_loaded, rows_rejected, duplicate_of
     from meta.batches where run_id = ? order by batch_id`,
    [runId],
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    run_id: runId,
    command: String(run.command),
    args: run.args ? JSON.parse(String(run.args)) : null,
    status: String(run.status),
    exit_code: num(run.exit_code),
    started_at: String(run.started_at),
    finished_at: run.finished_at === null ? null : String(run.finished_at),
    code_version: run.code_version ?? null,
    config_file: run.config_file ?? null,
    config_hash: run.config_hash ?? null,
    params: Object.fromEntries(params.map((p) => [String(p.name), String(p.value)])),
    inputs: inputs.map((b) => ({
      batch_id: Number(b.batch_id), source_id: String(b.source_id), feed: String(b.feed), location: String(b.location),
      sha256: String(b.sha256), bytes: Number(b.bytes), status: String(b.status), rows_read: Number(b.rows_read),
      rows_loaded: Number(b.rows_loaded), rows_rejected: Number(b.rows_rejected), duplicate_of: num(b.duplicate_of),
    })),
    tables: await tableCounts(wh),
    checks: { total: Number(checks?.total ?? 0), failed: Number(checks?.failed ?? 0) },
    prev_sha256: prev,
  };
}

/**
 * Record the manifest of run `runId`. Call it once the run is finished (after finishRun, whatever its status), so
 * the manifest holds the final status and the tables as the run left them. Re-recording the latest run replaces
 * its manifest; an older run cannot be re-recorded (the chain after it would break).
 */
export async function recordRunManifest(wh: Warehouse, runId: number): Promise<RunManifest & { sha256: string }> {
  const later = await wh.scalarNumber('select count(*) from meta.run_manifests where run_id > ?', [runId]);
  if (later) throw new JianguanError('manifest-not-latest', `run ${runId}: later runs already have manifests; it can no longer be recorded`);
  const prevRow = await wh.one('select sha256 from meta.run_manifests where run_id < ? order by run_id desc limit 1', [runId]);
  const m = await buildManifest(wh, runId, prevRow ? String(prevRow.sha256) : null);
  const sha256 = manifestSha256(m);
  await wh.transaction(async (tx) => {
    await tx.run('delete from meta.run_manifests where run_id = ?', [runId]);
    await tx.run('delete from meta.run_tables where run_id = ?', [runId]);
    await tx.run('insert into meta.run_manifests values (?, now(), ?, ?, ?)', [runId, JSON.stringify(m), sha256, m.prev_sha256]);
    for (const [name, rows] of Object.entries(m.tables)) await tx.run('insert into meta.run_tables values (?, ?, ?)', [runId, name, rows]);
  });
  return { ...m, sha256 };
}
