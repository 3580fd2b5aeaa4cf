// Reference tables the models join to, rebuilt from the code's own reference data before each transform, so
// the warehouse never holds a second, drifting copy of the region list (schemas/reference/*.csv stays the source),
// the field labels (schemas/feeds) or the code labels (codes.ts).
import { FEEDS } from '../../schemas/feeds/index.ts';
import { REGIONS } from '../../schemas/validators/regions.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { codeRows } from './codes.ts';

type Cell = string | number | boolean | null;

/** Replace a table's rows through an appender (row-by-row INSERTs cost ~1 ms each). */
export async function replaceRows(wh: Warehouse, schema: string, table: string, ddl: string, rows: readonly Cell[][]): Promise<void> {
  await wh.transaction(async (tx) => {
    await tx.run(ddl);
    const app = await tx.createAppender(schema, table);
    try {
      for (const row of rows) {
        for (const v of row) {
          if (v === null) app.appendNull();
          else if (typeof v === 'boolean') app.appendBoolean(v);
          else if (typeof v === 'number') app.appendInteger(v);
          else app.appendVarchar(v);
        }
        app.endRow();
      }
    } finally {
      app.closeSync();
    }
  });
}

/** ref.regions: Hebei regions (current GB/T 2260 list ∪ historical and functional-zone codes). */
export async function seedRegions(wh: Warehouse): Promise<number> {
  const rows = [...REGIONS.values()].sort((a, b) => (a.code < b.code ? -1 : 1)).map((r) => [r.code, r.name, r.level, r.parentCode, r.current]);
  await replaceRows(
    wh,
    'ref',
    'regions',
    `create or replace table ref.regions (
       region_code varchar primary key, region_name varchar not null, level varchar not null,
       parent_code varchar, is_current boolean not null)`,
    rows,
  );
  return rows.length;
}

/** ref.fields: each feed's canonical fields with their Chinese labels (for messages such as 有效期至 不一致). */
export async function seedFields(wh: Warehouse): Promise<number> {
  const rows = Object.values(FEEDS).flatMap((f) => Object.entries(f.fields).map(([name, spec]) => [f.name, name, spec.label]));
  await replaceRows(
    wh,
    'ref',
    'fields',
    'create or replace table ref.fields (feed varchar not null, field varchar not null, label varchar not null, primary key (feed, field))',
    rows,
  );
  return rows.length;
}

/** ref.codes: the labels of stored codes (risk classes, licence statuses, levels, …), from codes.ts. */
export async function seedCodes(wh: Warehouse): Promise<number> {
  const rows = codeRows();
  await replaceRows(
    wh,
    'ref',
    'codes',
    `create or replace table ref.codes (
       code_set varchar not null, code varchar not null, label varchar not null, sort_order integer not null,
       primary key (code_set, code))`,
    rows,
  );
  return rows.length;
}
