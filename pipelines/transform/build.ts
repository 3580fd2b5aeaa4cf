// Building one model: the SELECT goes into `<table>__new`, its key is checked, and only then does it replace the
// old table, all in one transaction. A model that fails (bad SQL, duplicate key) leaves the previous table as it
// was, and every check, passed or not, is written to meta.checks.
import { createHash } from 'node:crypto';
import { asJianguanError, errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident, qualified } from '../../warehouse/sql.ts';
import { type Model, ModelError } from '../catalog/models.ts';

export interface CheckResult {
  check: string;
  passed: boolean;
  rows: number | null;
  details: string | null;
}

export interface ModelResult {
  model: string;
  rows: number;
  ms: number;
  checks: CheckResult[];
}

/** The model's SELECT, ordered by its key so that equal inputs give equal tables, row for row. */
export function buildSql(m: Model, target: string): string {
  // A terminal `;` would end the statement inside the wrapper; the parser already proved it is one SELECT.
  const body = m.sql.replace(/;\s*$/, '');
  const order = m.key.map(ident).join(', ');
  return `create table ${target} as select * from (\n${body}\n) as model order by ${order}`;
}

async function keyChecks(wh: Warehouse, m: Model, target: string): Promise<CheckResult[]> {
  const rows = await wh.scalarNumber(`select count(*) from ${target}`);
  const cols = await wh.rows(
    'select column_name from information_schema.columns where table_schema = ? and table_name = ?',
    [m.schema, `${m.table}__new`],
    {
      column_name: col.text(),
    },
  );
  const have = new Set(cols.map((c) => c.column_name));
  const out: CheckResult[] = [];
  const missing = [...m.key, ...m.notNull].filter((c) => !have.has(c));
  if (missing.length) {
    out.push({ check: 'columns_exist', passed: false, rows, details: `missing column(s): ${missing.join(', ')}` });
    return out;
  }
  const keyList = m.key.map(ident).join(', ');
  const dups = `select ${keyList}, count(*) as n from ${target} group by ${keyList} having count(*) > 1`;
  // every count in one pass (a statement costs more than the scan on tables this size)
  const nullable = m.notNull.map((c, i) => `count(*) filter (where ${ident(c)} is null) as ${ident(`nn_${i}`)}`);
  const counts = await wh.one(
    `select count(*) filter (where ${m.key.map((k) => `${ident(k)} is null`).join(' or ')}) as null_keys,
            (select count(*) from (${dups})) as groups${nullable.map((x) => `, ${x}`).join('')}
     from ${target}`,
  );
  const count = (k: string) => Number(counts?.[k] ?? 0);
  const nullKeys = count('null_keys');
  out.push({
    check: 'key_not_null',
    passed: nullKeys === 0,
    rows,
    details: nullKeys ? `${nullKeys} row(s) with a NULL in (${m.key.join(', ')})` : null,
  });
  const groups = count('groups');
  // the example is only looked for when there is one to show: building its text for every row costs
  const example = groups
    ? await wh.row(`select cast(row(${keyList}) as varchar) as k, n from (${dups}) order by all limit 1`, { k: col.text(), n: col.int() })
    : undefined;
  out.push({
    check: 'key_unique',
    passed: groups === 0,
    rows,
    details: groups ? `${groups} duplicated key value(s), e.g. ${example?.k} (${example?.n} rows)` : null,
  });
  m.notNull.forEach((c, i) => {
    const n = count(`nn_${i}`);
    out.push({ check: `not_null:${c}`, passed: n === 0, rows, details: n ? `${n} row(s) with ${c} NULL` : null });
  });
  return out;
}

export async function recordChecks(wh: Warehouse, model: string, runId: number | null, checks: readonly CheckResult[]): Promise<void> {
  if (!checks.length) return;
  // one statement for all of a model's checks
  await wh.run(
    `insert into meta.checks (run_id, model, check_name, passed, rows, details, checked_at) values ${checks.map(() => '(?, ?, ?, ?, ?, ?, now())').join(', ')}`,
    checks.flatMap((c) => [runId, model, c.check, c.passed, c.rows, c.details]),
  );
}

/** What the table was built from, replacing the previous definition (one row per model). */
async function recordModel(wh: Warehouse, m: Model, runId: number | null): Promise<void> {
  await wh.run('delete from meta.models where name = ?', [m.name]);
  await wh.run(
    `insert into meta.models (name, file, sql_sha256, grain, key, not_null, reads, run_id, built_at)
     values (?, ?, ?, ?, from_json(?, '["VARCHAR"]'), from_json(?, '["VARCHAR"]'), from_json(?, '["VARCHAR"]'), ?, now())`,
    [
      m.name,
      m.file,
      createHash('sha256').update(m.sql).digest('hex'),
      m.grain,
      JSON.stringify(m.key),
      JSON.stringify(m.notNull),
      JSON.stringify(m.reads),
      runId,
    ],
  );
}

/** Build, check and swap in one model; throws ModelError('model-failed') naming it, the old table untouched. */
export async function buildModel(wh: Warehouse, m: Model, runId: number | null, log: Logger): Promise<ModelResult> {
  const started = performance.now();
  const target = qualified(m.schema, `${m.table}__new`);
  let checks: CheckResult[] = [];
  try {
    await wh.transaction(async (tx) => {
      await tx.run(`drop table if exists ${target}`);
      try {
        await tx.run(buildSql(m, target));
      } catch (err) {
        checks = [{ check: 'build', passed: false, rows: null, details: errorMessage(err) }];
        throw err;
      }
      checks = await keyChecks(tx, m, target);
      const failed = checks.filter((c) => !c.passed);
      if (failed.length) throw new Error(failed.map((c) => `${c.check}: ${c.details}`).join('; '));
      await tx.run(`drop table if exists ${qualified(m.schema, m.table)}`);
      await tx.run(`alter table ${target} rename to ${ident(m.table)}`);
      await recordModel(tx, m, runId);
    });
  } catch (err) {
    // a full disk or the buffer pool's limit is no fault of the model: the cause's code (disk-full, out-of-memory)
    // is kept, so the one-line error says what to free or raise; recording the failed check may fail the same way
    const cause = asJianguanError(err).code;
    const code = cause === 'disk-full' || cause === 'out-of-memory' ? cause : 'model-failed';
    await recordChecks(wh, m.name, runId, checks).catch(() => undefined);
    log.error({ model: m.name, code, err: errorMessage(err) }, 'model failed; previous table kept');
    throw new ModelError(code, `model ${m.name} (${m.file}) failed: ${errorMessage(err)}`, m.name, err);
  }
  await recordChecks(wh, m.name, runId, checks);
  const rows = checks[0]?.rows ?? 0;
  const ms = Math.round(performance.now() - started);
  log.info({ model: m.name, rows, ms }, 'model built');
  return { model: m.name, rows, ms, checks };
}
