// Are the model tables of two warehouse files identical? Every base table of the given schemas is compared with
// `except all` both ways, so duplicates count too. Used by bin/compare-warehouses.ts (refactors must keep the
// tables the same) and by the as-of property test.
import { col } from './columns.ts';
import { Warehouse } from './db.ts';
import { ident, literal, qualified } from './sql.ts';

export interface TableComparison {
  table: string;
  /** Rows in A (null when the table is only in B). */
  rows: number | null;
  onlyInA: number;
  onlyInB: number;
  /** The side the table exists on, when only one has it. */
  missingFrom: 'A' | 'B' | null;
}

export async function compareWarehouses(a: string, b: string, schemas: readonly string[] = ['core', 'mart']): Promise<TableComparison[]> {
  const wh = await Warehouse.open(':memory:');
  try {
    await wh.run(`ATTACH ${literal(a)} AS a (READ_ONLY)`);
    await wh.run(`ATTACH ${literal(b)} AS b (READ_ONLY)`);
    const list = `(${schemas.map(literal).join(', ')})`;
    const tables = async (db: string) =>
      (
        await wh.rows(
          `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
           WHERE table_catalog = ${literal(db)} AND table_schema IN ${list} AND table_type = 'BASE TABLE'`,
          { s: col.text(), t: col.text() },
        )
      ).map((r) => `${r.s}.${r.t}`);
    const inA = new Set(await tables('a'));
    const inB = new Set(await tables('b'));
    const out: TableComparison[] = [];
    for (const name of [...new Set([...inA, ...inB])].sort()) {
      if (!inA.has(name) || !inB.has(name)) {
        out.push({ table: name, rows: null, onlyInA: 0, onlyInB: 0, missingFrom: inA.has(name) ? 'B' : 'A' });
        continue;
      }
      const [s, t] = name.split('.') as [string, string];
      const count = async (x: string, y: string) =>
        wh.scalarNumber(`SELECT count(*) FROM (FROM ${ident(x)}.${qualified(s, t)} EXCEPT ALL FROM ${ident(y)}.${qualified(s, t)})`);
      const rows = await wh.scalarNumber(`SELECT count(*) FROM a.${qualified(s, t)}`);
      out.push({ table: name, rows, onlyInA: await count('a', 'b'), onlyInB: await count('b', 'a'), missingFrom: null });
    }
    return out;
  } finally {
    await wh.close();
  }
}

/** True when the comparison found no difference. */
export const identical = (c: TableComparison) => c.missingFrom === null && c.onlyInA === 0 && c.onlyInB === 0;
