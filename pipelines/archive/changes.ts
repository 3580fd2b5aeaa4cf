// A re-sent file: a location loaded before with other content. In the new batch's transaction, its records are
// compared with the previous loaded version's by the feed's natural key: records added, removed, and every field
// whose value changed (old → new), into meta.version_changes, with the counts in meta.version_diffs.
// A key that occurs several times in one version is told apart by its occurrence (`key #2`, in record order).
import type { FeedSpec } from '../../schemas/fields.ts';
import { col, type RowOf } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident, literal, qualified } from '../../warehouse/sql.ts';

const DIFF = {
  batch_id: col.int(),
  previous_batch_id: col.int(),
  records_added: col.int(),
  records_removed: col.int(),
  records_changed: col.int(),
  values_changed: col.int(),
};
export type VersionDiff = RowOf<typeof DIFF>;

/** Diffs batch `batchId` (just written, in `tx`) against the previous loaded batch of its location; null when it has none. */
export async function recordVersionChanges(tx: Warehouse, feed: FeedSpec, location: string, batchId: number): Promise<VersionDiff | null> {
  const prev = await tx.one(
    "select batch_id from meta.batches where location = ? and status = 'loaded' and feed = ? and batch_id < ? order by batch_id desc limit 1",
    [location, feed.name, batchId],
  );
  if (!prev) return null;
  const prevId = Number(prev.batch_id);
  const table = qualified('raw', feed.name);
  const keyExpr = `concat_ws(' | ', ${feed.naturalKey.map((k) => `coalesce(${ident(k)}::varchar, '∅')`).join(', ')})`;
  const version = (id: number) => `(select *, k || case when occ > 1 then ' #' || occ else '' end as _k from (
      select *, ${keyExpr} as k, row_number() over (partition by ${keyExpr} order by _record_no) as occ from ${table} where _batch_id = ${id}))`;
  const fields = Object.keys(feed.fields);
  const structs = fields.map((f) => `struct_pack(field := ${literal(f)}, old := o.${ident(f)}::varchar, new := n.${ident(f)}::varchar)`);
  await tx.run(`
    insert into meta.version_changes (batch_id, change, record_key, field, old_value, new_value)
    with o as ${version(prevId)}, n as ${version(batchId)}
    select ${batchId}, 'added', n._k, null, null, null from n anti join o using (_k)
    union all
    select ${batchId}, 'removed', o._k, null, null, null from o anti join n using (_k)
    union all
    select ${batchId}, 'changed', _k, c.field, c.old, c.new
    from (select _k, unnest([${structs.join(', ')}]) as c from o join n using (_k))
    where c.old is distinct from c.new`);
  await tx.run(
    `insert into meta.version_diffs (batch_id, previous_batch_id, records_added, records_removed, records_changed, values_changed)
     select ?, ?, count(*) filter (where change = 'added'), count(*) filter (where change = 'removed'),
            count(distinct record_key) filter (where change = 'changed'), count(*) filter (where change = 'changed')
     from meta.version_changes where batch_id = ?`,
    [batchId, prevId, batchId],
  );
  const [d] = await tx.rows('select * from meta.version_diffs where batch_id = ?', [batchId], DIFF);
  return d ?? null;
}

const CHANGE = {
  change: col.text(),
  record_key: col.text(),
  field: col.nullable(col.text()),
  old_value: col.nullable(col.text()),
  new_value: col.nullable(col.text()),
};
export type VersionChange = RowOf<typeof CHANGE>;

export interface ResentFile extends VersionDiff {
  location: string;
  source_id: string;
  run_id: number;
  /** Added, removed and changed records (changed: one row per field), the first `limit` unless all were asked for. */
  changes: VersionChange[];
  changes_total: number;
}

/** The re-sent files among the batches `where` selects (a condition on meta.batches b), with their changes. */
export async function resentFiles(wh: Warehouse, where: string, params: (string | number)[], limit: number | null): Promise<ResentFile[]> {
  const diffs = await wh.rows(
    `select d.*, b.location, b.source_id, b.run_id from meta.version_diffs d join meta.batches b using (batch_id) where ${where} order by d.batch_id`,
    params,
    { ...DIFF, location: col.text(), source_id: col.text(), run_id: col.int() },
  );
  const out: ResentFile[] = [];
  for (const d of diffs) {
    const changes = await wh.rows(
      `select change, record_key, field, old_value, new_value from meta.version_changes where batch_id = ?
       order by case change when 'changed' then 0 when 'added' then 1 else 2 end, record_key, field ${limit === null ? '' : `limit ${limit}`}`,
      [d.batch_id],
      CHANGE,
    );
    out.push({ ...d, changes, changes_total: d.records_added + d.records_removed + d.values_changed });
  }
  return out;
}

/** Lines for a terminal: per re-sent file its counts, then its changes. */
export function formatResent(files: ResentFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    out.push(
      `re-sent ${f.location} (batch ${f.batch_id} replaces ${f.previous_batch_id}): ${f.records_added} added, ${f.records_removed} removed, ${f.records_changed} changed (${f.values_changed} values)`,
    );
    for (const c of f.changes) {
      if (c.change === 'changed') out.push(`  ~ ${c.record_key} · ${c.field}: ${c.old_value ?? '∅'} → ${c.new_value ?? '∅'}`);
      else out.push(`  ${c.change === 'added' ? '+' : '-'} ${c.record_key}`);
    }
    if (f.changes.length < f.changes_total) out.push(`  … ${f.changes_total - f.changes.length} more (--all lists every one)`);
  }
  return out;
}
