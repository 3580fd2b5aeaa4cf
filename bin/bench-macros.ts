// Micro-benchmark of the hot validator macros on 1M rows (node bin/run-ts.mjs schemas/validators/bench-macros.ts [rows]).
// Prints rows/s; no assertions: timings on the shared 2-core boxes drift ±20–40%, compare ratios within one run.

import { validatorMacrosSql } from '../schemas/validators/macros.ts';
import { makeUscc, USCC_ALPHABET } from '../schemas/validators/uscc.ts';
import { rng } from '../testkit/equivalence-inputs.ts';
import { Warehouse } from '../warehouse/db.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const DISTINCT = 50_000;

// mostly valid codes (the full check path), some lower-cased, some with one character changed
function codes(n: number): string[] {
  const r = rng(42);
  const pick = (s: string) => s[Math.floor(r() * s.length)]!;
  const areas = ['130105', '130108', '130521', '133100', '440300', '110000', '139001'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let body = '';
    for (let j = 0; j < 8; j++) body += pick(USCC_ALPHABET);
    let code = makeUscc(`91${areas[i % areas.length]!}`, body);
    const roll = r();
    if (roll < 0.05) code = code.toLowerCase();
    else if (roll < 0.1) code = code.slice(0, 17) + pick(USCC_ALPHABET);
    out.push(code);
  }
  return out;
}

async function time(wh: Warehouse, label: string, sql: string): Promise<void> {
  await wh.all(sql); // warm-up (macro binding, regex compilation); untyped: the row printed is whatever the query gives
  const t0 = performance.now();
  const row = await wh.one(sql);
  const s = (performance.now() - t0) / 1000;
  const rate = Math.round(ROWS / s).toLocaleString('en-US');
  console.log(`${label.padEnd(44)} ${s.toFixed(3).padStart(7)} s  ${rate.padStart(11)} rows/s  ${JSON.stringify(row)}`);
}

const wh = await Warehouse.open(':memory:');
try {
  await wh.runScript(validatorMacrosSql());
  await wh.run('create table codes_d (i integer, raw varchar)');
  const app = await wh.createAppender('main', 'codes_d');
  codes(DISTINCT).forEach((c, i) => {
    app.appendInteger(i);
    app.appendVarchar(c);
    app.endRow();
  });
  app.closeSync();
  await wh.run(`create table codes as select d.raw from range(${ROWS}) r(i) join codes_d d on d.i = r.i % ${DISTINCT} order by r.i`);
  await wh.run('create table codes_n as select jg_uscc_norm(raw) as n from codes');
  // every accepted date shape, plus impossible days, serials and junk
  await wh.run(`
    create table dates as
    select case i % 10
        when 0 then strftime(d, '%Y-%m-%d')
        when 1 then strftime(d, '%Y/%-m/%-d')
        when 2 then strftime(d, '%Y.%-m.%-d')
        when 3 then strftime(d, '%Y年%m月%d日')
        when 4 then strftime(d, '%Y%m%d')
        when 5 then strftime(d, '%Y-%m-%dT%H:%M:%S+08:00')
        when 6 then cast(i % 73050 + 1 as varchar)
        when 7 then strftime(d, '%Y-%m-') || '31'
        when 8 then '2099-12-31'
        else 'x' || i
      end as s
    from (select i, date '1990-01-01' + (i * 7919 % 40000)::integer as d from range(${ROWS}) r(i))`);

  console.log(`rows: ${ROWS.toLocaleString('en-US')}`);
  await time(wh, 'baseline count(raw)', 'select count(raw) from codes');
  await time(wh, 'jg_uscc_norm(raw)', 'select count(jg_uscc_norm(raw)) from codes');
  await time(wh, 'jg_uscc_warn(raw)', 'select count(jg_uscc_warn(raw)) from codes');
  await time(wh, 'jg_uscc_reason(n), n normalised column', 'select count(jg_uscc_reason(n)) from codes_n');
  await time(wh, 'jg_uscc_reason(jg_uscc_norm(raw)) (avoid)', 'select count(jg_uscc_reason(jg_uscc_norm(raw))) from codes');
  await time(wh, 'jg_date(s)', 'select count(jg_date(s)) from dates');
  await time(wh, 'jg_date_reason(s)', 'select count(jg_date_reason(s)) from dates');
} finally {
  wh.close();
}
