// Appending one run to the history (history.ts explains the event model). For each tracked mart the run's state
// at its as-of date D is compared with the state the history gives for D; each difference becomes one event at D.
// A run for an earlier date than runs already recorded (a backfill) must not change what those runs saw: where an
// event at D would otherwise carry over to the next recorded date D', the state that held there is restated at D'.
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident, qualified } from '../../warehouse/sql.ts';
import { type Catalog, loadCatalog } from '../catalog/catalog.ts';

interface Tracked {
  events: string;
  key: string;
  /** Selects the key, the payload columns and `_ids` (the evidence ids, VARCHAR[]) from the mart. */
  source: string;
  /** A change in these is a new event; they are NULL while the key is absent. */
  state: string[];
  /** Shown with the state while present, NULL while absent. */
  detail: string[];
  /** Kept on the absence event too, so that lookups by them (an alert's entity) still find it. */
  identity: string[];
}

const TRACKED: Tracked[] = [
  {
    events: 'entity_class_events',
    key: 'entity_id',
    source: `select entity_id, uscc, risk_class, score, name, region_code, to_json(factors)::varchar as factors,
             flatten(list_transform(factors, f -> f.evidence)) as _ids from mart.entity_risk`,
    state: ['risk_class'],
    detail: ['score', 'factors'],
    identity: ['uscc', 'name', 'region_code'],
  },
  {
    events: 'alert_events',
    key: 'alert_id',
    source:
      'select a.alert_id, a.entity_id, e.uscc, a.rule_code, a.severity, a.message, a.evidence, a.evidence as _ids from mart.risk_alerts as a left join mart.entity_risk as e on e.entity_id = a.entity_id',
    state: [],
    detail: ['severity', 'message', 'evidence'],
    identity: ['entity_id', 'uscc', 'rule_code'],
  },
];

export interface AppendResult {
  runId: number;
  asOf: string;
  entities: number;
  alerts: number;
  classEvents: number;
  alertEvents: number;
  /** True when this run was already in the history (appending is idempotent). */
  already: boolean;
}

/** The raw rows behind evidence ids: union of every id table (per the model catalog) with its raw references. */
function evidenceRefs(cat: Catalog, table: string): string | null {
  const parts: string[] = [];
  for (const t of cat.idTargets(table)) {
    for (const e of cat.edges(t.name)) {
      if (e.kind !== 'raw-refs') continue;
      const id = ident(t.key[0] as string);
      parts.push(
        `select ${id} as id, unnest(${ident(e.column)}).batch_id as batch_id from ${qualified(t.schema, t.table)} where ${id} in (select id from ids)`,
      );
    }
  }
  return parts.length ? parts.join(' union all ') : null;
}

async function appendOne(
  wh: Warehouse,
  t: Tracked,
  cat: Catalog,
  mart: string,
  runId: number,
  asOf: string,
): Promise<{ rows: number; events: number }> {
  const k = ident(t.key);
  const E = qualified('history', t.events);
  const payload = [...t.state, ...t.detail, ...t.identity];
  await wh.run(`create or replace temp table _h_new as ${t.source}`);
  await wh.run(
    `create or replace temp table _h_before as select * from ${E} where as_of <= $1::date
                qualify row_number() over (partition by ${k} order by as_of desc, seq desc) = 1`,
    [asOf],
  );
  const changed = t.state.map((c) => `n.${ident(c)} is distinct from b.${ident(c)}`);
  await wh.run(`create or replace temp table _h_diff as
    select coalesce(n.${k}, b.${k}) as ${k}, n.${k} is not null as present,
      ${payload.map((c) => `n.${ident(c)}`).join(', ')}, n._ids,
      coalesce(b.present, false) as b_present, ${payload.map((c) => `b.${ident(c)} as ${ident(`b_${c}`)}`).join(', ')},
      b.evidence_batches as b_evidence_batches
    from _h_new n full join _h_before b on b.${k} = n.${k}
    where (n.${k} is not null) <> coalesce(b.present, false)
      ${changed.length ? `or (n.${k} is not null and (${changed.join(' or ')}))` : ''}`);
  const refs = evidenceRefs(cat, mart);
  await wh.run(`create or replace temp table _h_batches as
    with ids as (select ${k}, unnest(_ids) as id from _h_diff where present)
    ${
      refs
        ? `, refs as (${refs})
    select ids.${k}, list_sort(list_distinct(list(refs.batch_id))) as batches from ids join refs using (id) group by 1`
        : `select ${k}, []::bigint[] as batches from ids where false`
    }`);
  const cols = [t.key, 'as_of', 'present', ...payload, 'evidence_batches', 'run_id', 'recorded_at', 'restates_run'].map(ident).join(', ');
  const now = (c: string) =>
    t.identity.includes(c) ? `case when d.present then d.${ident(c)} else d.${ident(`b_${c}`)} end` : `case when d.present then d.${ident(c)} end`;
  const before = (c: string) =>
    t.identity.includes(c) ? `coalesce(d.${ident(`b_${c}`)}, d.${ident(c)})` : `case when d.b_present then d.${ident(`b_${c}`)} end`;
  await wh.run(
    `insert into ${E} (seq, ${cols})
     select nextval('history.event_seq'), d.${k}, $1::date, d.present, ${payload.map(now).join(', ')},
            case when d.present then coalesce(hb.batches, []) end, $2, now(), null
     from _h_diff d left join _h_batches hb using (${k}) order by d.${k}`,
    [asOf, runId],
  );
  // backfill: the next recorded date keeps the state it was recorded with, unless the key has its own event by then
  await wh.run(
    `insert into ${E} (seq, ${cols})
     select nextval('history.event_seq'), d.${k}, nx.as_of, d.b_present, ${payload.map(before).join(', ')},
            case when d.b_present then d.b_evidence_batches end, nx.run_id, now(), nx.run_id
     from _h_diff d
     cross join (select as_of, arg_max(run_id, recorded_at) as run_id from history.runs where as_of > $1::date
                 group by as_of order by as_of limit 1) nx
     where not exists (select 1 from ${E} e where e.${k} = d.${k} and e.as_of > $1::date and e.as_of <= nx.as_of)
     order by d.${k}`,
    [asOf],
  );
  const rows = await wh.scalarNumber('select count(*) from _h_new');
  const events = await wh.scalarNumber(`select count(*) from ${E} where run_id = ? and restates_run is null`, [runId]);
  for (const tmp of ['_h_new', '_h_before', '_h_diff', '_h_batches']) await wh.run(`drop table if exists ${ident(tmp)}`);
  return { rows, events };
}

/**
 * Record run `runId` (whose marts describe `asOf`, YYYY-MM-DD) in the history. Call it after the transform and
 * its checks succeeded, before the run is marked finished; a run that failed must not enter the history.
 */
export async function appendHistory(
  wh: Warehouse,
  runId: number,
  asOf: string,
  o: { sqlDir?: string; catalog?: Catalog } = {},
): Promise<AppendResult> {
  const prior = await wh.row('select entities, alerts, class_events, alert_events from history.runs where run_id = ?', [runId], {
    entities: col.int(),
    alerts: col.int(),
    class_events: col.int(),
    alert_events: col.int(),
  });
  if (prior) {
    return {
      runId,
      asOf,
      entities: prior.entities,
      alerts: prior.alerts,
      classEvents: prior.class_events,
      alertEvents: prior.alert_events,
      already: true,
    };
  }
  const cat = o.catalog ?? (await loadCatalog(wh, o.sqlDir));
  return wh.transaction(async (tx) => {
    const e = await appendOne(tx, TRACKED[0] as Tracked, cat, 'mart.entity_risk', runId, asOf);
    const a = await appendOne(tx, TRACKED[1] as Tracked, cat, 'mart.risk_alerts', runId, asOf);
    await tx.run('insert into history.runs values (?, ?::date, now(), ?, ?, ?, ?)', [runId, asOf, e.rows, a.rows, e.events, a.events]);
    return { runId, asOf, entities: e.rows, alerts: a.rows, classEvents: e.events, alertEvents: a.events, already: false };
  });
}

/**
 * Take run `runId` out of the history again: the run kernel calls it when a step after the history (publishing,
 * recording the run) failed, so a run that did not succeed leaves no events behind. Events of later runs cannot
 * exist yet (one writer), so nothing that was built on these events is lost.
 */
export async function removeHistory(wh: Warehouse, runId: number): Promise<void> {
  await wh.transaction(async (tx) => {
    for (const t of ['entity_class_events', 'alert_events', 'runs']) await tx.run(`delete from ${qualified('history', t)} where run_id = ?`, [runId]);
  });
}
