// Parameters reach the SQL models through one table, meta.params (name → text value, written with bound
// parameters), read by a handful of jg_param_* macros. Nothing is pasted into SQL text, and every run's values
// are kept in meta.param_history so a mart row can be explained with the knobs that produced it.
import type { Warehouse } from '../warehouse/db.ts';
import type { RiskConfig } from './risk-config.ts';

const TABLES = `
create schema if not exists meta;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists mart;
create schema if not exists ref;
create table if not exists meta.params (name varchar primary key, value varchar not null);
create table if not exists meta.param_history (run_id bigint, name varchar not null, value varchar not null, set_at timestamptz not null);
-- The definition each model table was last built from: lineage walks a table the way it was built, even after its
-- file changed, and needs no SQL parsing to do so.
create table if not exists meta.models (
  name varchar not null,
  file varchar not null,
  sql_sha256 varchar not null,
  grain varchar not null,
  key varchar[] not null,
  not_null varchar[] not null,
  reads varchar[] not null,
  run_id bigint,
  built_at timestamptz not null
);
create table if not exists meta.checks (
  run_id bigint,
  model varchar not null,
  check_name varchar not null,
  passed boolean not null,
  rows bigint,
  details varchar,
  checked_at timestamptz not null
);
`;

// Temp macros live with the session: a code update never meets stale definitions stored in the file.
// The subquery reads meta.params when a model runs, so the values are whatever this run wrote.
const MACROS = `
create or replace temp macro jg_param_text(p_name) as (select value from meta.params where name = p_name);
create or replace temp macro jg_param_num(p_name) as cast(jg_param_text(p_name) as double);
create or replace temp macro jg_param_int(p_name) as cast(jg_param_text(p_name) as bigint);
create or replace temp macro jg_param_date(p_name) as cast(jg_param_text(p_name) as date);
create or replace temp macro jg_param_list(p_name) as cast(from_json(jg_param_text(p_name), '["VARCHAR"]') as varchar[]);

-- Names of departments and authorities compared across feeds and with meta.batches.department: blanks removed,
-- so "威县 市场监督管理局" and "威县市场监督管理局" are one body.
create or replace temp macro jg_org_name(name) as regexp_replace(trim(name), '\\s+', '', 'g');
-- The cross-level merge precedence, one definition for every core model that merges versions of a record:
-- the owner's own report, then a report from the owner's level, then the newest decision, then the newest batch
-- and the later record in it. A sort key for "order by … desc": booleans as 1/0 with unknown (NULL) lowest,
-- a missing date lowest, exactly as "desc nulls last" on each key would order them.
create or replace temp macro jg_version_order(department, owner, level, owner_level, decided, batch_id, record_no) as
  {'own': coalesce((department = owner)::int, -1), 'own_level': coalesce((level = owner_level)::int, -1),
   'decided': coalesce(decided, date '0001-01-01'), 'batch': batch_id, 'record': record_no};
-- The winning version of a record as {batch_id, record_no}: an aggregate, used in the model's GROUP BY over the
-- record's versions (one aggregate beats a window ranking every record; the order is unique as it ends in batch
-- and record).
create or replace temp macro jg_winner(department, owner, level, owner_level, decided, batch_id, record_no) as
  arg_max({'batch_id': batch_id, 'record_no': record_no},
          jg_version_order(department, owner, level, owner_level, decided, batch_id, record_no));
-- Why the winning version won, for core.*.precedence.
create or replace temp macro jg_precedence(versions, department, owner, level, owner_level, owner_label) as
  case when versions = 1 then 'single' when department = owner then owner_label
       when level = owner_level then owner_label || '-level' else 'newest' end;
`;

/** The public macros, for the models README and tests. */
export const PARAM_MACROS = ['jg_param_text', 'jg_param_num', 'jg_param_int', 'jg_param_date', 'jg_param_list'] as const;
/** Macros the staging and merging core models share (name normalisation, precedence). */
export const MERGE_MACROS = ['jg_org_name', 'jg_version_order', 'jg_winner', 'jg_precedence'] as const;

export async function ensureTransformTables(wh: Warehouse): Promise<void> {
  await wh.runScript(TABLES);
  await wh.runScript(MACROS);
}

/**
 * The config as dotted leaf names: scalars as text, maps one entry per key (`weights.inspection_result.C`),
 * arrays as JSON text (read with jg_param_list, or from_json for lists of objects).
 */
export function flattenParams(value: unknown, prefix = ''): [string, string][] {
  if (Array.isArray(value)) return [[prefix, JSON.stringify(value)]];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([k, v]) => flattenParams(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, String(value)]];
}

export function transformParams(cfg: RiskConfig, asOf: string): [string, string][] {
  return [['as_of', asOf], ...flattenParams(cfg)];
}

/** Replace meta.params with this run's values and append them to the history, atomically. */
export async function writeParams(wh: Warehouse, params: readonly [string, string][], runId: number | null): Promise<void> {
  await wh.transaction(async (tx) => {
    await tx.run('delete from meta.params');
    const app = await tx.createAppender('meta', 'params');
    try {
      for (const [name, value] of params) {
        app.appendVarchar(name);
        app.appendVarchar(value);
        app.endRow();
      }
    } finally {
      app.closeSync();
    }
    await tx.run('insert into meta.param_history (run_id, name, value, set_at) select ?, name, value, now() from meta.params', [runId]);
  });
}
