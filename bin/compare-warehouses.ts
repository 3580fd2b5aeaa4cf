// `node bin/run-ts.mjs bin/compare-warehouses.ts A.duckdb B.duckdb [schema…]`: are the model tables of two
// warehouses identical (warehouse/compare.ts; default schemas core and mart)? This is how refactors are checked
// to keep the tables the same; it prints one line per table and exits 1 when any differs or exists on one side only.
import { compareWarehouses, identical } from '../warehouse/compare.ts';

const [a, b, ...rest] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: compare-warehouses.ts A.duckdb B.duckdb [schema…]');
  process.exit(2);
}
const result = await compareWarehouses(a, b, rest.length > 0 ? rest : ['core', 'mart']);
for (const c of result) {
  console.log(
    c.missingFrom
      ? `${c.table}: only in ${c.missingFrom === 'A' ? 'B' : 'A'}`
      : `${c.table}: ${c.rows} rows, ${c.onlyInA} only in A, ${c.onlyInB} only in B`,
  );
}
const differ = result.filter((c) => !identical(c)).length;
console.log(differ === 0 ? 'identical' : `${differ} table(s) differ`);
process.exit(differ === 0 ? 0 : 1);
