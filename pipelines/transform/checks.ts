// Run-level checks after a full transform: nothing loaded is lost on the way to core, and every id a mart cites
// as evidence exists. Model-level key checks happen as each model is built (build.ts); these look
// across models. Every result goes to meta.checks under the model it concerns.
import { FEED_NAMES } from '../../schemas/feeds/index.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { qualified } from '../../warehouse/sql.ts';
import { type CheckResult, recordChecks } from './build.ts';

/** Core table holding the merged records of each feed, and its id column. */
const CORE_OF: Record<string, { table: string; where: string }> = {
  license: { table: 'core.licenses', where: 'true' },
  inspection: { table: 'core.inspections', where: 'true' },
  penalty: { table: 'core.penalties', where: 'true' },
  dishonest_debtor: { table: 'core.credit_events', where: "event_type = 'dishonest_debtor'" },
  abnormal_operation: { table: 'core.credit_events', where: "event_type = 'abnormal_operation'" },
  serious_violation: { table: 'core.credit_events', where: "event_type = 'serious_violation'" },
  credit_rating: { table: 'core.credit_events', where: "event_type = 'credit_rating'" },
};

export const EVIDENCE_IDS = `
  select license_id as id from core.licenses
  union all select inspection_id from core.inspections
  union all select penalty_id from core.penalties
  union all select event_id from core.credit_events`;

export interface RunCheck extends CheckResult {
  model: string;
}

async function count(wh: Warehouse, sql: string): Promise<number> {
  return wh.scalarNumber(sql);
}

/** Raw → staging → core keeps every row: each raw row is in staging, and each staged row known by as_of in exactly one core row's lineage. */
async function completeness(wh: Warehouse): Promise<RunCheck[]> {
  const out: RunCheck[] = [];
  for (const feed of FEED_NAMES) {
    const raw = await count(wh, `select count(*) from ${qualified('raw', feed)}`);
    const staged = await count(wh, `select count(*) from ${qualified('staging', feed)}`);
    out.push({
      model: `staging.${feed}`,
      check: 'complete_from_raw',
      passed: raw === staged,
      rows: staged,
      details: raw === staged ? null : `raw ${raw} rows, staging ${staged}`,
    });
    const core = CORE_OF[feed];
    if (!core) continue;
    // core holds what was known by as_of: every such staged row, once
    const known = await count(wh, `select count(*) from ${qualified('staging', feed)} where _known_by_as_of`);
    const inLineage = await count(wh, `select coalesce(sum(len(lineage)), 0) from ${core.table} where ${core.where}`);
    const distinct = await count(wh, `select count(distinct l) from (select unnest(lineage) as l from ${core.table} where ${core.where})`);
    const ok = inLineage === known && distinct === known;
    out.push({
      model: core.table,
      check: `lineage_complete:${feed}`,
      passed: ok,
      rows: inLineage,
      details: ok ? null : `${known} ${feed} rows staged and known by as_of, ${inLineage} lineage entries (${distinct} distinct)`,
    });
  }
  return out;
}

/** Every evidence id of the marts names a core record. */
async function evidenceResolves(wh: Warehouse): Promise<RunCheck[]> {
  const sources = [
    { model: 'mart.risk_alerts', sql: 'select unnest(evidence) as id from mart.risk_alerts' },
    { model: 'mart.risk_factors', sql: 'select unnest(evidence) as id from mart.risk_factors' },
  ];
  const out: RunCheck[] = [];
  for (const s of sources) {
    const row = await wh.row(
      `with cited as (${s.sql}), known as (${EVIDENCE_IDS})
       select count(*) as cited, count(*) filter (where known.id is null) as dangling, any_value(cited.id) filter (where known.id is null) as example
       from cited left join known on known.id = cited.id`,
      { cited: col.int(), dangling: col.int(), example: col.nullable(col.text()) },
    );
    const dangling = row?.dangling ?? 0;
    out.push({
      model: s.model,
      check: 'evidence_resolves',
      passed: dangling === 0,
      rows: row?.cited ?? 0,
      details: dangling ? `${dangling} evidence id(s) name no core record, e.g. ${row?.example}` : null,
    });
  }
  return out;
}

/** Run the cross-model checks, record them, and return them (failed ones first). */
export async function runIntegrityChecks(wh: Warehouse, runId: number | null): Promise<RunCheck[]> {
  const checks = [...(await completeness(wh)), ...(await evidenceResolves(wh))];
  for (const c of checks) await recordChecks(wh, c.model, runId, [c]);
  return checks.sort((a, b) => Number(a.passed) - Number(b.passed));
}
