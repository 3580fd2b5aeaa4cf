// `jianguan runs show [ID]`: one run in detail: its status and versions, the files it loaded, rejects by reason,
// every table's rows with the change since the previous recorded run, its checks, the parameters that changed,
// and (from the history) which entities changed class and which alerts opened or closed. Without an id, the
// latest run: "what changed since last night?".
import { existsSync } from 'node:fs';
import { JianguanError } from '../../lib/errors.ts';
import { col, type RowOf } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { readStatusDoc } from '../../warehouse/status-doc.ts';
import { type ResentFile, resentFiles } from '../archive/changes.ts';
import { type RunPublish, runPublish } from './manifest.ts';

const count = () => col.nullable(col.int());
/** meta.runs (001-ledger.sql), every column. */
const RUN = {
  run_id: col.int(),
  command: col.text(),
  args: col.nullable(col.text()),
  started_at: col.isoTimestamp(),
  finished_at: col.nullable(col.isoTimestamp()),
  status: col.text(),
  exit_code: col.nullable(col.int()),
  files_seen: count(),
  batches_loaded: count(),
  batches_skipped: count(),
  batches_failed: count(),
  rows_read: count(),
  rows_loaded: count(),
  rows_rejected: count(),
  config_file: col.nullable(col.text()),
  config_hash: col.nullable(col.text()),
  code_version: col.nullable(col.text()),
  pid: col.nullable(col.int()),
  host: col.nullable(col.text()),
  error: col.nullable(col.text()),
};
const BATCH = {
  batch_id: col.int(),
  source_id: col.text(),
  feed: col.text(),
  location: col.text(),
  status: col.text(),
  rows_read: col.int(),
  rows_loaded: col.int(),
  rows_rejected: col.int(),
  sha256: col.text(),
  error_code: col.nullable(col.text()),
  duplicate_of: col.nullable(col.int()),
};
const FAILURE = { model: col.text(), check_name: col.text(), details: col.nullable(col.text()) };
const ALERT = {
  alert_id: col.text(),
  entity_id: col.nullable(col.text()),
  rule_code: col.nullable(col.text()),
  severity: col.nullable(col.text()),
  message: col.nullable(col.text()),
};

export interface RunShow {
  run: RowOf<typeof RUN>;
  manifest: { sha256: string; prev_sha256: string | null; recorded_at: string } | null;
  batches: RowOf<typeof BATCH>[];
  rejects_by_reason: { reason_code: string; n: number }[];
  /** Rows per table after this run, beside the previous recorded run's (null when unknown). */
  tables: { table: string; rows: number; previous: number | null; delta: number | null }[];
  checks: { total: number; failed: number; failures: RowOf<typeof FAILURE>[] };
  /** Parameters whose value differs from the previous run that recorded parameters. */
  params_changed: { name: string; before: string | null; after: string | null }[];
  /** What the run did with the published snapshot (meta.publishes); null when it rebuilt no marts. */
  publish: RunPublish | null;
  /** Null when the history holds nothing for this run. */
  changes: {
    as_of: string;
    /**
     * The latest date at or before `as_of` the history held a state for when this run was appended: the moves are
     * relative to that state. Null when it held none (the first run, or a backfill to a date before every recorded
     * one): the run's classes are then the first recorded state (`first_recorded`), and no moves are listed.
     */
    baseline_as_of: string | null;
    /** Entities per class this run recorded, when there was no baseline; empty otherwise. */
    first_recorded: { class: string; n: number }[];
    class_moves: { from: string; to: string; n: number }[];
    entities: { entity_id: string; name: string | null; from: string; to: string; score: number | null }[];
    alerts_opened: RowOf<typeof ALERT>[];
    alerts_closed: RowOf<typeof ALERT>[];
  } | null;
}

const SAMPLE = 50;

async function historyChanges(wh: Warehouse, runId: number): Promise<RunShow['changes']> {
  const h = await wh.row("select strftime(as_of, '%Y-%m-%d') as as_of from history.runs where run_id = ?", [runId], { as_of: col.date() });
  if (!h) return null;
  // The baseline is what the history said for this run's as-of date just before the run was appended: a run
  // recorded earlier for that date or before it. A backfill to a date earlier than anything recorded has none: its
  // events are the first recorded state of that date, not class moves, and are counted as such.
  const baseline = await wh.row(
    "select strftime(max(as_of), '%Y-%m-%d') as as_of from history.runs where run_id < ? and as_of <= ?::date having count(*) > 0",
    [runId, h.as_of],
    { as_of: col.date() },
  );
  // each event of this run against the event the history held for the same key on that date before the run (the
  // latest by date, then recording order, among the events recorded before this run's first one)
  const moves = `
    with mine as (select * from history.entity_class_events where run_id = $1 and restates_run is null),
    before as (
      select e.entity_id, case when e.present then e.risk_class else '—' end as cls
      from history.entity_class_events e
      where e.entity_id in (select entity_id from mine) and e.as_of <= $2::date and e.seq < (select min(seq) from mine)
      qualify row_number() over (partition by e.entity_id order by e.as_of desc, e.seq desc) = 1
    )
    select m.entity_id, m.name, coalesce(b.cls, '—') as "from", case when m.present then m.risk_class else '—' end as "to", m.score
    from mine m left join before b using (entity_id)`;
  const first = !baseline;
  const classMoves = first
    ? []
    : await wh.rows(`select "from", "to", count(*) as n from (${moves}) group by all order by n desc, 1, 2`, [runId, h.as_of], {
        from: col.text(),
        to: col.text(),
        n: col.int(),
      });
  const entities = first
    ? []
    : await wh.rows(`select * from (${moves}) order by "to" desc, score desc nulls last, entity_id limit $3`, [runId, h.as_of, SAMPLE], {
        entity_id: col.text(),
        name: col.nullable(col.text()),
        from: col.text(),
        to: col.text(),
        score: col.nullable(col.num()),
      });
  const firstRecorded = first
    ? await wh.rows(
        `select risk_class as class, count(*) as n from history.entity_class_events
         where run_id = ? and restates_run is null and present group by 1 order by 1`,
        [runId],
        { class: col.text(), n: col.int() },
      )
    : [];
  const alerts = (present: boolean) =>
    first
      ? Promise.resolve([])
      : wh.rows(
          `select alert_id, entity_id, rule_code, severity, message from history.alert_events
           where run_id = ? and restates_run is null and present = ? order by severity, rule_code, alert_id limit ?`,
          [runId, present, SAMPLE],
          ALERT,
        );
  return {
    as_of: h.as_of,
    baseline_as_of: baseline?.as_of ?? null,
    first_recorded: firstRecorded,
    class_moves: classMoves,
    entities,
    alerts_opened: await alerts(true),
    alerts_closed: await alerts(false),
  };
}

export async function showRun(wh: Warehouse, runId?: number): Promise<RunShow> {
  const id = runId ?? (await wh.scalarNumber('select coalesce(max(run_id), 0) from meta.runs'));
  const run = await wh.row(
    'select * exclude (started_at, finished_at), started_at::varchar as started_at, finished_at::varchar as finished_at from meta.runs where run_id = ?',
    [id],
    RUN,
  );
  if (!run) throw new JianguanError('run-not-found', `runs show: no run ${runId ?? ''} in meta.runs`.trim(), { exitCode: 2 });
  const manifest = await wh.row('select sha256, prev_sha256, recorded_at::varchar as recorded_at from meta.run_manifests where run_id = ?', [id], {
    sha256: col.text(),
    prev_sha256: col.nullable(col.text()),
    recorded_at: col.isoTimestamp(),
  });
  const batches = await wh.rows(
    `select batch_id, source_id, feed, location, status, rows_read, rows_loaded, rows_rejected, sha256, error_code, duplicate_of
     from meta.batches where run_id = ? order by batch_id`,
    [id],
    BATCH,
  );
  const rejects = await wh.rows(
    'select reason_code, count(*) as n from meta.rejects where batch_id in (select batch_id from meta.batches where run_id = ?) group by 1 order by 2 desc, 1',
    [id],
    { reason_code: col.text(), n: col.int() },
  );
  const tables = await wh.rows(
    `select t.table_name as "table", t.rows, p.rows as previous
         from meta.run_tables t
         left join meta.run_tables p on p.table_name = t.table_name and p.run_id = (select max(run_id) from meta.run_tables where run_id < ?)
         where t.run_id = ? order by 1`,
    [id, id],
    { table: col.text(), rows: col.int(), previous: col.nullable(col.int()) },
  );
  const checks = await wh.row('select count(*) as total, count(*) filter (where not passed) as failed from meta.checks where run_id = ?', [id], {
    total: col.int(),
    failed: col.int(),
  });
  const failures = await wh.rows(
    'select model, check_name, details from meta.checks where run_id = ? and not passed order by model, check_name',
    [id],
    FAILURE,
  );
  const params = await wh.rows(
    `with prev as (select max(run_id) as run_id from meta.param_history where run_id < ?),
              a as (select name, value from meta.param_history where run_id = ?),
              b as (select name, value from meta.param_history where run_id = (select run_id from prev))
         select coalesce(a.name, b.name) as name, b.value as before, a.value as after
         from a full join b using (name)
         where (select count(*) from a) > 0 and (select run_id from prev) is not null and a.value is distinct from b.value
         order by 1`,
    [id, id],
    { name: col.text(), before: col.nullable(col.text()), after: col.nullable(col.text()) },
  );
  return {
    run,
    manifest: manifest ?? null,
    batches,
    rejects_by_reason: rejects,
    tables: tables.map((t) => ({ ...t, delta: t.previous === null ? null : t.rows - t.previous })),
    checks: { total: checks?.total ?? 0, failed: checks?.failed ?? 0, failures },
    params_changed: params,
    publish: await runPublish(wh, id),
    changes: await historyChanges(wh, id),
  };
}

/** The run as `runs show` prints it, with the files it loaded that replaced an earlier version and what changed. */
export async function showRunFull(wh: Warehouse, runId?: number, all = false): Promise<RunShow & { resent: ResentFile[] }> {
  const show = await showRun(wh, runId);
  return { ...show, resent: await resentFiles(wh, 'b.run_id = ?', [show.run.run_id], all ? null : 20) };
}

/**
 * Without `live`, the warehouse file is never opened (a run in progress is not blocked): the run as the writer
 * showed it at the run's end in the status document, else as the published snapshot holds it; a run in neither
 * is an error that says to add --live. A warehouse from before the status document is read live. `all`: every
 * changed value of each re-sent file (the document keeps the first 20: then the snapshot, or --live, is read).
 */
export async function runRunsShow(o: {
  db: string;
  runId?: number;
  live?: boolean;
  all?: boolean;
}): Promise<RunShow & { resent: ResentFile[]; read_from: string }> {
  const doc = o.live ? null : readStatusDoc(o.db);
  const snapshot = snapshotPath(o.db);
  if (o.live || (!doc && !existsSync(snapshot))) {
    return { ...(await withOpenWarehouse(o.db, (wh) => showRunFull(wh, o.runId, o.all), { readOnly: true })), read_from: 'warehouse' };
  }
  const id = o.runId ?? doc?.shows[0]?.run_id;
  const kept = doc?.shows.find((s) => s.run_id === id);
  if (kept && !o.all) {
    const show = kept.show as RunShow & { resent?: ResentFile[] };
    return { ...show, resent: show.resent ?? [], read_from: 'status-document' };
  }
  if (existsSync(snapshot)) {
    const show = await withOpenWarehouse(
      snapshot,
      async (wh) =>
        (await wh.scalarNumber('select count(*) from meta.runs where run_id = ?', [id ?? 0])) || id === undefined ? showRunFull(wh, id, o.all) : null,
      { readOnly: true },
    );
    if (show) return { ...show, read_from: 'snapshot' };
  }
  if (kept) {
    const show = kept.show as RunShow & { resent?: ResentFile[] };
    return { ...show, resent: show.resent ?? [], read_from: 'status-document' };
  }
  throw new JianguanError(
    'run-not-found',
    `runs show: no run ${id ?? ''} in meta.runs of the published snapshot nor in the status document: add --live to read the warehouse itself (a run in progress then exits 75)`,
    { exitCode: 2 },
  );
}
