// Parameters reach the SQL models through one table, meta.params (name → text value, written with bound
// parameters), read by a handful of jg_param_* macros. Nothing is pasted into SQL text, and every run's values
// are kept in meta.param_history so a mart row can be explained with the knobs that produced it.
import type { Warehouse } from '../../warehouse/db.ts';
import type { RiskConfig } from './risk-config.ts';

// The tables are created by warehouse/schema/004-transform.sql, the jg_* macros by warehouse/schema/macros.sql.

/** The public macros, for the models README and tests. */
export const PARAM_MACROS = ['jg_param_text', 'jg_param_num', 'jg_param_int', 'jg_param_date', 'jg_param_list'] as const;
/** Macros the staging and merging core models share (name normalisation, owner level, precedence). */
export const MERGE_MACROS = ['jg_org_name', 'jg_owner_level', 'jg_version_order', 'jg_winner', 'jg_precedence'] as const;

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
