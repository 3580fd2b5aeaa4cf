// One measured step of `npm run bench`, in its own process so its peak RSS (VmHWM) is its own.
// usage: bench-measure.ts jianguan <config> <db> | native <csv> <db> | transform - <db>
import { readFileSync } from 'node:fs';
import { silentLogger } from '../lib/log.ts';
import { runLoad } from '../pipelines/run/load-command.ts';
import { runTransform } from '../pipelines/transform/transform.ts';
import { Warehouse } from '../warehouse/db.ts';
import { openWarehouse } from '../warehouse/schema/open.ts';
import { literal } from '../warehouse/sql.ts';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

const [mode, input, db] = process.argv.slice(2);
if (!mode || !input || !db) throw new Error('usage: bench-measure.ts jianguan|native <input> <db>');
const t0 = performance.now();
let records = 0;
if (mode === 'jianguan') {
  const r = await runLoad({ db, config: input, log: silentLogger() });
  if (r.totals.batchesFailed) throw new Error(`bench load failed: ${r.files.map((f) => f.error).join('; ')}`);
  records = r.totals.rowsRead;
} else if (mode === 'transform') {
  const wh = await openWarehouse(db);
  try {
    const r = await runTransform(wh, { log: silentLogger(), asOf: '2024-12-31' });
    records = r.models.reduce((s, m) => s + m.rows, 0);
  } finally {
    wh.close();
  }
} else {
  const wh = await Warehouse.open(db);
  try {
    await wh.run(`create or replace table plain as select * from read_csv(${literal(input)}, header = true, all_varchar = true)`);
    records = await wh.scalarNumber('select count(*) from plain');
  } finally {
    wh.close();
  }
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ mode, records, seconds, peakRssMiB: peakRssMiB() })}\n`);
