// Every reference a built table makes resolves: each (batch_id, record_no) in a core `lineage` (or any other list
// of raw references) names an existing raw row, and each evidence id of a mart names a row of the tables its model
// reads. The columns to check are found the way `lineage` finds them (pipelines/catalog/catalog.ts), so a new model is
// covered without a change here.
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident, qualified } from '../../warehouse/sql.ts';
import { type Catalog, RAW_KEY } from '../catalog/catalog.ts';
import type { Problems } from './problems.ts';

export interface RefsSummary {
  lineage_refs: number;
  evidence_refs: number;
}

function keyText(cols: readonly string[]): string {
  return cols.length === 1 ? `${ident(cols[0] as string)}::varchar` : `concat_ws(' / ', ${cols.map((c) => `${ident(c)}::varchar`).join(', ')})`;
}

const REF_COUNTS = { total: col.int(), dangling: col.int(), examples: col.nullable(col.list(col.text())) };

export async function checkReferences(wh: Warehouse, cat: Catalog, problems: Problems): Promise<RefsSummary> {
  const s: RefsSummary = { lineage_refs: 0, evidence_refs: 0 };
  const raws = [...cat.tables.values()].filter((t) => t.schema === 'raw');
  const rawAll = raws.length
    ? raws.map((t) => `select ${RAW_KEY.map(ident).join(', ')} from ${qualified(t.schema, t.table)}`).join(' union all ')
    : 'select null::bigint as _batch_id, null::bigint as _record_no where false';
  for (const info of cat.tables.values()) {
    const t = qualified(info.schema, info.table);
    for (const e of cat.edges(info.name)) {
      if (e.kind === 'raw-refs') {
        const r = await wh.row(
          `with refs as (select ${keyText(info.key)} as k, unnest(${ident(e.column)}) as ref from ${t}),
                raw_all as (${rawAll})
           select count(*) as total, count(*) filter (where raw_all._batch_id is null) as dangling,
                  list(k || ' → batch ' || ref.batch_id || ' record ' || ref.record_no) filter (where raw_all._batch_id is null)[1:5] as examples
           from refs left join raw_all on raw_all._batch_id = refs.ref.batch_id and raw_all._record_no = refs.ref.record_no`,
          REF_COUNTS,
        );
        s.lineage_refs += r?.total ?? 0;
        const n = r?.dangling ?? 0;
        if (n)
          problems.add(
            'lineage-dangling',
            `${n} ${e.column} reference(s) of ${info.name} name no raw row, e.g. ${(r?.examples ?? []).join('; ')}`,
            { table: info.name },
            n,
          );
      } else if (e.kind === 'ids') {
        const targets = cat.idTargets(info.name);
        const known = targets.length
          ? targets.map((u) => `select ${ident(u.key[0] as string)} as id from ${qualified(u.schema, u.table)}`).join(' union all ')
          : 'select null::varchar as id where false';
        const ids = e.field === null ? ident(e.column) : `flatten(list_transform(${ident(e.column)}, x -> x.${ident(e.field)}))`;
        const r = await wh.row(
          `with cited as (select ${keyText(info.key)} as k, unnest(${ids}) as id from ${t}), known as (${known})
           select count(*) as total, count(*) filter (where known.id is null) as dangling,
                  list(cited.k || ' → ' || cited.id) filter (where known.id is null)[1:5] as examples
           from cited left join known on known.id = cited.id`,
          REF_COUNTS,
        );
        s.evidence_refs += r?.total ?? 0;
        const n = r?.dangling ?? 0;
        if (n)
          problems.add(
            'evidence-dangling',
            `${n} evidence id(s) of ${info.name} name no row of ${targets.map((u) => u.name).join(', ')}, e.g. ${(r?.examples ?? []).join('; ')}`,
            { table: info.name },
            n,
          );
      }
    }
  }
  return s;
}
