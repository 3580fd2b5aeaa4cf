// The manifest of a run: what went in (code version, config hash, parameters, the input files with their hashes)
// and what came out (row counts of every table), stored as one JSON document per run whose SHA-256 is chained to
// the previous run's. Editing or deleting an old manifest, or a table's rows after the last run, then shows in
// `verify`; the per-table counts are also kept as rows (meta.run_tables) for plain SQL.
import { createHash } from 'node:crypto';
import { JianguanError } from '../../lib/errors.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import { runFingerprints } from './fingerprints.ts';

/** Tables whose size a manifest records: the data layers and history, plus the ledger tables of meta. */
export async function tableCounts(wh: Warehouse): Promise<Record<string, number>> {
  const tables = await wh.rows(
    `select table_schema as s, table_name as t from information_schema.tables
     where table_catalog = current_database() and table_type = 'BASE TABLE'
       and (table_schema in ('raw', 'staging', 'core', 'mart', 'ref', 'history')
            or (table_schema = 'meta' and table_name in ('batches', 'rejects', 'runs')))
       and table_name not like '%\\_\\_new' escape '\\'
     order by 1, 2`,
    { s: col.text(), t: col.text() },
  );
  const out: Record<string, number> = {};
  for (const r of tables) out[`${r.s}.${r.t}`] = await wh.scalar(`select count(*) from ${qualified(r.s, r.t)}`, col.int());
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
    batch_id: number;
    source_id: string;
    feed: string;
    location: string;
    sha256: string;
    bytes: number;
    status: string;
    rows_read: number;
    rows_loaded: number;
    rows_rejected: number;
    duplicate_of: number | null;
    /** The algorithm of the batch's row hashes and the digest of its rows (schemas/row-hash.ts); null if none. */
    row_hash_alg: string | null;
    row_digest: string | null;
  }[];
  tables: Record<string, number>;
  /** The mart tables' fingerprints the run recorded (pipelines/audit/fingerprints.ts); {} when it built none. */
  fingerprints: Record<string, string>;
  checks: { total: number; failed: number };
  /** What the run did with the published snapshot (meta.publishes); null when it rebuilt no marts. */
  publish: RunPublish | null;
  prev_sha256: string | null;
}

export interface RunPublish {
  as_of: string;
  published: boolean;
  previous_as_of: string | null;
  reason: string | null;
}

const PUBLISH = { as_of: col.date(), published: col.bool(), previous_as_of: col.nullable(col.date()), reason: col.nullable(col.text()) };

/** Run `runId`'s row of meta.publishes (in RunPublish's key order). */
export async function runPublish(wh: Warehouse, runId: number): Promise<RunPublish | null> {
  const r = await wh.row(
    `select strftime(as_of, '%Y-%m-%d') as as_of, published, strftime(previous_as_of, '%Y-%m-%d') as previous_as_of, reason
     from meta.publishes where run_id = ?`,
    [runId],
    PUBLISH,
  );
  return r ? { as_of: r.as_of, published: r.published, previous_as_of: r.previous_as_of, reason: r.reason } : null;
}

export function manifestSha256(m: RunManifest): string {
  return createHash('sha256').update(JSON.stringify(m)).digest('hex');
}

async function buildManifest(wh: Warehouse, runId: number, prev: string | null): Promise<RunManifest> {
  const run = await wh.row(
    `select run_id, command, args, status, exit_code, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%g%z') as started_at,
            strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%g%z') as finished_at, code_version, config_file, config_hash
     from meta.runs where run_id = ?`,
    [runId],
    {
      command: col.text(),
      args: col.nullable(col.text()),
      status: col.text(),
      exit_code: col.nullable(col.int()),
      started_at: col.timestamp(),
      finished_at: col.nullable(col.timestamp()),
      code_version: col.nullable(col.text()),
      config_file: col.nullable(col.text()),
      config_hash: col.nullable(col.text()),
    },
  );
  if (!run) throw new JianguanError('run-not-found', `no run ${runId} in meta.runs`, { exitCode: 2 });
  const params = await wh.rows('select name, value from meta.param_history where run_id = ? order by name', [runId], {
    name: col.text(),
    value: col.text(),
  });
  const checks = await wh.row('select count(*) as total, count(*) filter (where not passed) as failed from meta.checks where run_id = ?', [runId], {
    total: col.int(),
    failed: col.int(),
  });
  // the keys in the order of RunManifest['inputs'] (the manifest's JSON, and so its hash, follows it)
  const inputs = await wh.rows(
    `select batch_id, source_id, feed, location, sha256, bytes, status, rows_read, rows_loaded, rows_rejected, duplicate_of,
            row_hash_alg, row_digest
     from meta.batches where run_id = ? order by batch_id`,
    [runId],
    {
      batch_id: col.int(),
      source_id: col.text(),
      feed: col.text(),
      location: col.text(),
      sha256: col.text(),
      bytes: col.int(),
      status: col.text(),
      rows_read: col.int(),
      rows_loaded: col.int(),
      rows_rejected: col.int(),
      duplicate_of: col.nullable(col.int()),
      row_hash_alg: col.nullable(col.text()),
      row_digest: col.nullable(col.text()),
    },
  );
  const fingerprints = await runFingerprints(wh, runId);
  return {
    run_id: runId,
    command: run.command,
    args: run.args ? JSON.parse(run.args) : null,
    status: run.status,
    exit_code: run.exit_code,
    started_at: run.started_at,
    finished_at: run.finished_at,
    code_version: run.code_version,
    config_file: run.config_file,
    config_hash: run.config_hash,
    params: Object.fromEntries(params.map((p) => [p.name, p.value])),
    inputs,
    tables: await tableCounts(wh),
    fingerprints: Object.fromEntries(Object.entries(fingerprints).map(([t, f]) => [t, f.sha256])),
    checks: { total: checks?.total ?? 0, failed: checks?.failed ?? 0 },
    publish: await runPublish(wh, runId),
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
  const prevRow = await wh.row('select sha256 from meta.run_manifests where run_id < ? order by run_id desc limit 1', [runId], {
    sha256: col.text(),
  });
  const m = await buildManifest(wh, runId, prevRow?.sha256 ?? null);
  const sha256 = manifestSha256(m);
  await wh.transaction(async (tx) => {
    await tx.run('delete from meta.run_manifests where run_id = ?', [runId]);
    await tx.run('delete from meta.run_tables where run_id = ?', [runId]);
    await tx.run('insert into meta.run_manifests values (?, now(), ?, ?, ?)', [runId, JSON.stringify(m), sha256, m.prev_sha256]);
    for (const [name, rows] of Object.entries(m.tables)) await tx.run('insert into meta.run_tables values (?, ?, ?)', [runId, name, rows]);
  });
  return { ...m, sha256 };
}
