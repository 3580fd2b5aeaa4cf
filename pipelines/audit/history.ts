// Risk classes and alert states over time. Each run appends events, never rewrites one: an event says "from this
// as-of date on, the state is X", and views derive the valid_from / valid_to intervals (SCD2) from them.
//
// Why events and a view rather than closing intervals in place: (1) nothing is ever updated, so a row is exactly
// what the run that wrote it saw, and the table is evidence in itself; (2) a rerun or a backfill of an earlier date
// is just more events (the latest recorded event of a date wins), where in-place intervals would have to be split
// and re-closed; (3) the events are bitemporal (as_of = valid time, seq/recorded_at = when we learned it), so "what
// did we believe last Tuesday about November" stays answerable. Only changes are stored, so the table grows with
// the number of class changes, not entities × nights.
import { z } from 'zod';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';

// The tables and views are created by warehouse/schema/003-history.sql.

export interface ClassAsOf {
  /** The entity key: its credit code, or a code-less 个体工商户's 注册号 (core.entities). */
  entity_id: string;
  /** The credit code; null for an entity known by its 注册号. */
  uscc: string | null;
  /** False when the entity was not in the warehouse on that date (it appeared later, or dropped out). */
  present: boolean;
  risk_class: string | null;
  /** The score when this class began. */
  score: number | null;
  name: string | null;
  valid_from: string;
  /** Exclusive; null while the class still holds. */
  valid_to: string | null;
  run_id: number;
  recorded_at: string;
  /** The run whose state this event restates after a backfill of an earlier date, if any. */
  restates_run: number | null;
  factors: unknown;
  /** The files the class rested on: batches of the raw rows behind its factors' evidence. */
  inputs: { batch_id: number; source_id: string; location: string; sha256: string }[];
  code_version: string | null;
  config_hash: string | null;
}

/** The SQL behind `classAsOf`: one query, for the README and for analysts. Parameters: entity_id (a credit code, or a 注册号), date. */
export const CLASS_AS_OF_SQL = `
select h.entity_id, h.uscc, h.present, h.risk_class, h.score, h.name, strftime(h.valid_from, '%Y-%m-%d') as valid_from,
       strftime(h.valid_to, '%Y-%m-%d') as valid_to, h.run_id, strftime(h.recorded_at, '%Y-%m-%d %H:%M:%S') as recorded_at,
       h.restates_run, h.factors, r.code_version, r.config_hash,
       coalesce(list({'batch_id': b.batch_id, 'source_id': b.source_id, 'location': b.location, 'sha256': b.sha256}
                     order by b.batch_id) filter (where b.batch_id is not null), []) as inputs
from history.entity_class h
left join meta.runs r on r.run_id = h.run_id
left join meta.batches b on list_contains(h.evidence_batches, b.batch_id)
where h.entity_id = $1 and h.valid_from <= $2::date and (h.valid_to is null or h.valid_to > $2::date)
group by all`;

const CLASS_AS_OF = {
  entity_id: col.text(),
  uscc: col.nullable(col.text()),
  present: col.bool(),
  risk_class: col.nullable(col.text()),
  score: col.nullable(col.num()),
  name: col.nullable(col.text()),
  valid_from: col.date(),
  valid_to: col.nullable(col.date()),
  run_id: col.int(),
  recorded_at: col.timestamp(),
  restates_run: col.nullable(col.int()),
  factors: col.nullable(col.text()),
  code_version: col.nullable(col.text()),
  config_hash: col.nullable(col.text()),
  inputs: col.list(col.json(z.object({ batch_id: col.int(), source_id: col.text(), location: col.text(), sha256: col.text() }))),
};

/** The entity's class on `date` (YYYY-MM-DD), with the run and the input files behind it; null if never seen by then. */
export async function classAsOf(wh: Warehouse, entityId: string, date: string): Promise<ClassAsOf | null> {
  const r = await wh.row(CLASS_AS_OF_SQL, [entityId, date], CLASS_AS_OF);
  if (!r) return null;
  return { ...r, factors: r.factors === null ? null : JSON.parse(r.factors) };
}

/** Alerts open on `date` for one entity (alert ids are stable across runs while the finding is the same). */
export async function alertsAsOf(
  wh: Warehouse,
  entityId: string,
  date: string,
): Promise<{ alert_id: string; rule_code: string; severity: string; message: string; valid_from: string; run_id: number }[]> {
  return wh.rows(
    `select alert_id, rule_code, severity, message, strftime(valid_from, '%Y-%m-%d') as valid_from, run_id
     from history.alert_state
     where entity_id = $1 and present and valid_from <= $2::date and (valid_to is null or valid_to > $2::date)
     order by rule_code, alert_id`,
    [entityId, date],
    { alert_id: col.text(), rule_code: col.text(), severity: col.text(), message: col.text(), valid_from: col.date(), run_id: col.int() },
  );
}
