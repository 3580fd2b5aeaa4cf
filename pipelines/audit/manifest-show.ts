// `jianguan runs show [ID]`: one run in detail: its status and versions, the files it loaded, rejects by reason,
// every table's rows with the change since the previous recorded run, its checks, the parameters that changed,
// and (from the history) which entities changed class and which alerts opened or closed. Without an id, the
// latest run: "what changed since last night?".
import { JianguanError } from '../../lib/errors.ts';
import type { Row, Warehouse } from '../../warehouse/db.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';

export interface RunShow {
  run: Row;
  manifest: { sha256: string; prev_sha256: string | null; recorded_at: string } | null;
  batches: Row[];
  rejects_by_reason: { reason_code: string; n: number }[];
  /** Rows per table after this run, beside the previous recorded run's (null when unknown). */
  tables: { table: string; rows: number; previous: number | null; delta: number | null }[];
  checks: { total: number; failed: number; failures: Row[] };
  /** Parameters whose value differs from the previous run that recorded parameters. */
  params_changed: { name: string; before: string | null; after: string | null }[];
  /** Null when the history holds nothing for this run. */
  changes: {
    as_of: string;
    class_moves: { from: string; to: string; n: number }[];
    entities: { uscc: string; name: string | null; from: string; to: string; score: number | null }[];
    alerts_opened: Row[];
    alerts_closed: Row[];
  } | null;
}

const SAMPLE = 50;

async function historyChanges(wh: Warehouse, runId: number): Promise<RunShow['changes']> {
  const h = await wh.one("select strftime(as_of, '%Y-%m-%d') as as_of from history.runs where run_id = ?", [runId]);
  if (!h) return null;
  // each event of this run against the event before it (by date, then recording order) for the same key
  const moves = `
    with ordered as (
      select *, lag(case when present then risk_class else '—' end) over (partition by uscc order by as_of, seq) as before
      from history.entity_class_events
    )
    select uscc, name, coalesce(before, '—') as "from", case when present then risk_class else '—' end as "to", score
    from ordered where run_id = ? and restates_run is null`;
  const classMoves = await wh.all(`select "from", "to", count(*) as n from (${moves}) group by all order by n desc, 1, 2`, [runId]);
  const entities = await wh.all(`select * from (${moves}) order by "to" desc, score desc nulls last, uscc limit ?`, [runId, SAMPLE]);
  const alerts = (present: boolean) =>
    wh.all(
      `select alert_id, uscc, rule_code, severity, message from history.alert_events
       where run_id = ? and restates_run is null and present = ? order by severity, rule_code, alert_id limit ?`,
      [runId, present, SAMPLE],
    );
  return {
    as_of: String(h.as_of),
    class_moves: classMoves.map((r) => ({ from: String(r.from), to: String(r.to), n: Number(r.n) })),
    entities: entities.map((r) => ({ uscc: String(r.uscc), name: r.name ?? null, from: String(r.from), to: String(r.to), score: r.score === null ? null : Number(r.score) })),
    alerts_opened: await alerts(true),
    alerts_closed: await alerts(false),
  };
}

export async function showRun(wh: Warehouse, runId?: number): Promise<RunShow> {
  const id = runId ?? (await wh.scalarNumber('select coalesce(max(run_id), 0) from meta.runs'));
  const run = await wh.one('select * exclude (started_at, finished_at), started_at::varchar as started_at, finished_at::varchar as finished_at from meta.runs where run_id = ?', [id]);
  if (!run) throw new JianguanError('run-not-found', `runs show: no run ${runId ?? ''} in meta.runs`.trim(), { exitCode: 2 });
  const manifest = await wh.one('select sha256, prev_sha256, recorded_at::varchar as recorded_at from meta.run_manifests where run_id = ?', [id]);
  const batches = await wh.all(
    `select batch_id, source_id, feed, location, status, rows_read, rows_loaded, rows_rejected, sha256, error_code, duplicate_of
     from meta.batches where run_id = ? order by batch_id`,
    [id],
  );
  const rejects = await wh.all(
    'select reason_code, count(*) as n from meta.rejects where batch_id in (select batch_id from meta.batches where run_id = ?) group by 1 order by 2 desc, 1',
    [id],
  );
  const tables = await wh.all(
        `select t.table_name as "table", t.rows, p.rows as previous
         from meta.run_tables t
         left join meta.run_tables p on p.table_name = t.table_name and p.run_id = (select max(run_id) from meta.run_tables where run_id < ?)
         where t.run_id = ? order by 1`,
        [id, id],
      );
  const checks = await wh.one('select count(*) as total, count(*) filter (where not passed) as failed from meta.checks where run_id = ?', [id]);
  const failures = await wh.all('select model, check_name, details from meta.checks where run_id = ? and not passed order by model, check_name', [id]);
  const params = await wh.all(
        `with prev as (select max(run_id) as run_id from meta.param_history where run_id < ?),
              a as (select name, value from meta.param_history where run_id = ?),
              b as (select name, value from meta.param_history where run_id = (select run_id from prev))
         select coalesce(a.name, b.name) as name, b.value as before, a.value as after
         from a full join b using (name)
         where (select count(*) from a) > 0 and (select run_id from prev) is not null and a.value is distinct from b.value
         order by 1`,
        [id, id],
      );
  return {
    run,
    manifest: manifest ? { sha256: String(manifest.sha256), prev_sha256: manifest.prev_sha256 ?? null, recorded_at: String(manifest.recorded_at) } : null,
    batches,
    rejects_by_reason: rejects.map((r) => ({ reason_code: String(r.reason_code), n: Number(r.n) })),
    tables: tables.map((t) => {
      const previous = t.previous === null ? null : Number(t.previous);
      return { table: String(t.table), rows: Number(t.rows), previous, delta: previous === null ? null : Number(t.rows) - previous };
    }),
    checks: { total: Number(checks?.total ?? 0), failed: Number(checks?.failed ?? 0), failures },
    params_changed: params.map((p) => ({ name: String(p.name), before: p.before ?? null, after: p.after ?? null })),
    changes: await historyChanges(wh, id),
  };
}

export async function runRunsShow(o: { db: string; runId?: number }): Promise<RunShow> {
  return withOpenWarehouse(o.db, (wh) => showRun(wh, o.runId), { readOnly: true });
}
