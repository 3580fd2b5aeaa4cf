// `node bin/run-ts.mjs bin/compare-warehouses.ts A.duckdb B.duckdb [schema…]`: are the model tables of two
// warehouses identical? Every table of the given schemas (default core and marts) is compared with `except all`
// both ways, so duplicates count too. This is how refactors are checked to keep the tables the same; it prints
// one line per table and exits 1 when any differs or exists on one side only.
import { col } from '../warehouse/columns.ts';
import { Warehouse } from '../warehouse/db.ts';
import { ident, literal, qualified } from '../warehouse/sql.ts';

const [a, b, ...rest] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: compare-warehouses.ts A.duckdb B.duckdb [schema…]');
  process.exit(2);
}
const schemas = rest.length > 0 ? rest : ['core', 'marts'];
const wh = await Warehouse.open(':memory:');
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
let differ = 0;
for (const name of [...new Set([...inA, ...inB])].sort()) {
  if (!inA.has(name) || !inB.has(name)) {
    console.log(`${name}: only in ${inA.has(name) ? 'A' : 'B'}`);
    differ++;
    continue;
  }
  const [s, t] = name.split('.') as [string, string];
  const count = async (x: string, y: string) =>
    wh.scalarNumber(`SELECT count(*) FROM (FROM ${`${ident(x)}.${qualified(s, t)}`} EXCEPT ALL FROM ${`${ident(y)}.${qualified(s, t)}`})`);
  const rows = await wh.scalarNumber(`SELECT count(*) FROM ${`a.${qualified(s, t)}`}`);
  const [ab, ba] = [await count('a', 'b'), await count('b', 'a')];
  console.log(`${name}: ${rows} rows, ${ab} only in A, ${ba} only in B`);
  if (ab + ba > 0) differ++;
}
await wh.close();
console.log(differ === 0 ? 'identical' : `${differ} table(s) differ`);
process.exit(differ === 0 ? 0 : 1);
