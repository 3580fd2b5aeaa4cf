import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amountInputs, areaInputs, dateInputs, identifierInputs, penaltyInputs, usccInputs } from '../../testkit/equivalence-inputs.ts';
import { type Row, Warehouse } from '../../warehouse/db.ts';
import { parseAmount } from './amounts.ts';
import { parseDate } from './dates.ts';
import { excelMangled, lostLeadingZeros } from './identifiers.ts';
import { VALIDATOR_MACROS, validatorMacrosSql } from './macros.ts';
import { mapPenaltyCategories } from './penalty-categories.ts';
import { isKnownArea } from './regions.ts';
import { checkUscc, normalizeUscc, orgCodeCheckChar } from './uscc.ts';

let wh: Warehouse;

beforeEach(async () => {
  wh = await Warehouse.open(':memory:');
  await wh.runScript(validatorMacrosSql());
});

afterEach(() => {
  wh.close();
});

/** Load inputs into table `inp(i, raw)` in order; the appender keeps every byte as given. */
async function load(inputs: readonly string[]): Promise<void> {
  await wh.run('create or replace table inp (i integer, raw varchar)');
  const app = await wh.createAppender('main', 'inp');
  inputs.forEach((raw, i) => {
    app.appendInteger(i);
    app.appendVarchar(raw);
    app.endRow();
  });
  app.closeSync();
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * Run `select i, md5(raw), <exprs> from <from>` and compare each row with what `expected(raw)` says.
 * The input is checked by md5, not read back: the client's UTF-8 decoder drops a leading U+FEFF.
 */
async function compare(
  inputs: readonly string[],
  exprs: string,
  expected: (raw: string) => Record<string, unknown>,
  from = 'inp',
): Promise<Set<string>> {
  await load(inputs);
  const rows = await wh.all(`select i, md5(raw) as raw_md5, ${exprs} from ${from} order by i`);
  expect(rows).toHaveLength(inputs.length);
  const mismatches: { raw: string; sql: Row; js: Record<string, unknown> }[] = [];
  const outcomes = new Set<string>();
  for (const row of rows) {
    const raw = inputs[row.i as number]!;
    expect(row.raw_md5).toBe(md5(raw));
    const js = expected(raw);
    for (const [k, v] of Object.entries(js))
      outcomes.add(`${k}=${typeof v === 'string' && /^[a-z]+-[a-z-]+$/.test(v) ? v : v === null ? 'null' : typeof v === 'boolean' ? v : 'value'}`);
    const sql = Object.fromEntries(Object.keys(js).map((k) => [k, row[k]])) as Row;
    if (JSON.stringify(sql) !== JSON.stringify(js)) mismatches.push({ raw, sql, js });
  }
  expect(mismatches.slice(0, 10)).toEqual([]);
  expect(mismatches.length).toBe(0);
  return outcomes;
}

/** The inputs must reach every outcome, or agreeing on them proves little. */
function expectOutcomes(outcomes: Set<string>, wanted: string[]) {
  expect([...wanted].filter((w) => !outcomes.has(w))).toEqual([]);
}

const N = 2_000;

describe('validatorMacrosSql', () => {
  it('creates every public macro and can be run again', async () => {
    await wh.runScript(validatorMacrosSql());
    const rows = await wh.all(
      "select distinct function_name from duckdb_functions() where function_type = 'macro' and function_name like 'jg\\_%' escape '\\'",
    );
    const names = new Set(rows.map((r) => r.function_name));
    for (const sig of VALIDATOR_MACROS) expect(names.has(sig.slice(0, sig.indexOf('('))), sig).toBe(true);
  });

  it('agrees with checkUscc and normalizeUscc on every input', async () => {
    const inputs = usccInputs(N);
    expect(inputs.length).toBeGreaterThan(N);
    const outcomes = await compare(
      inputs,
      // the reason macro reads its argument ~40 times: normalise in a separate step, as the ingest SQL should
      'norm, warn, jg_uscc_reason(norm) as reason',
      (raw) => {
        const n = normalizeUscc(raw);
        const r = checkUscc(raw);
        return { norm: n.value === '' ? null : n.value, warn: n.warnings[0] ?? null, reason: r.ok ? null : r.reason };
      },
      '(select i, raw, jg_uscc_norm(raw) as norm, jg_uscc_warn(raw) as warn from inp)',
    );
    expectOutcomes(outcomes, [
      'norm=null',
      'warn=uscc-lowercase',
      'warn=uscc-fullwidth',
      'reason=null',
      'reason=uscc-length',
      'reason=uscc-charset',
      'reason=uscc-dept-category',
      'reason=uscc-check',
      'reason=uscc-org-check',
      'reason=uscc-area',
    ]);
  });

  it('agrees with parseDate on every input', async () => {
    const inputs = dateInputs(N);
    const outcomes = await compare(inputs, 'jg_date(raw)::varchar as value, jg_date_reason(raw) as reason, jg_date_open(raw) as open', (raw) => {
      const r = parseDate(raw);
      return { value: r.ok ? r.value : null, reason: r.ok ? null : r.reason, open: r.ok && r.openEnded };
    });
    expectOutcomes(outcomes, ['value=value', 'reason=date-format', 'reason=date-impossible', 'open=true']);
  });

  it('agrees with parseAmount on every input, in both units', async () => {
    const inputs = amountInputs(N);
    const outcomes = await compare(
      inputs,
      `jg_amount(raw, 'wan') as wan, jg_amount_reason(raw, 'wan') as wan_reason,
       jg_amount(raw, 'yuan') as yuan, jg_amount_reason(raw, 'yuan') as yuan_reason`,
      (raw) => {
        const w = parseAmount(raw, 'wan');
        const y = parseAmount(raw, 'yuan');
        return {
          wan: w.ok ? w.value : null,
          wan_reason: w.ok ? null : w.reason,
          yuan: y.ok ? y.value : null,
          yuan_reason: y.ok ? null : y.reason,
        };
      },
    );
    expectOutcomes(outcomes, [
      'wan=value',
      'yuan=value',
      'wan_reason=amount-format',
      'wan_reason=amount-negative',
      'wan_reason=amount-precision',
      'yuan_reason=amount-precision',
    ]);
  });

  it('agrees with mapPenaltyCategories on every input', async () => {
    const inputs = penaltyInputs(N);
    const outcomes = await compare(inputs, 'jg_penalty_types(raw) as types, jg_penalty_reason(raw) as reason', (raw) => {
      const r = mapPenaltyCategories(raw);
      return { types: r.ok ? r.types : null, reason: r.ok ? null : r.reason };
    });
    expectOutcomes(outcomes, ['types=value', 'reason=enum-invalid']);
  });

  it('agrees with excelMangled and lostLeadingZeros on every input', async () => {
    const outcomes = await compare(
      identifierInputs(N),
      'jg_excel_mangled(raw) as mangled, jg_lost_leading_zeros(raw, 6) as short6, jg_lost_leading_zeros(raw, 15) as short15',
      (raw) => ({ mangled: excelMangled(raw), short6: lostLeadingZeros(raw, 6), short15: lostLeadingZeros(raw, 15) }),
    );
    expectOutcomes(outcomes, ['mangled=true', 'mangled=false', 'short6=true', 'short15=true']);
  });

  it('agrees with isKnownArea on every input', async () => {
    const outcomes = await compare(areaInputs(N), 'jg_known_area(raw) as known', (raw) => ({ known: isKnownArea(raw) }));
    expectOutcomes(outcomes, ['known=true', 'known=false']);
  });

  it('agrees with orgCodeCheckChar on 9-character organisation codes (jg_org_code_ok)', async () => {
    // the organisation codes inside the generated credit codes, each also with every other check character
    const bodies = usccInputs(N)
      .map((u) => u.trim().toUpperCase().slice(8, 16))
      .filter((b) => /^[0-9A-Z]{8}$/.test(b));
    const inputs = [...new Set(bodies)].slice(0, 300).flatMap((b) => [...'0123456789X'].map((c) => b + c));
    const outcomes = await compare([...inputs, '', 'ABC', '12345678-9', '1234567890'], 'jg_org_code_ok(raw) as ok', (raw) => ({
      ok: /^[0-9A-Z]{8}[0-9X]$/.test(raw) && orgCodeCheckChar(raw.slice(0, 8)) === raw[8],
    }));
    expectOutcomes(outcomes, ['ok=true', 'ok=false']);
    expect(await wh.one('select jg_org_code_ok(null) as n')).toEqual({ n: false });
  });

  it('returns typed values: DATE, DECIMAL(18,2), VARCHAR[], BOOLEAN', async () => {
    const row = await wh.one(`select typeof(jg_date('2024-03-05')) d, typeof(jg_amount('0.2', 'wan')) a,
      typeof(jg_penalty_types('警告')) p, typeof(jg_date_open('长期')) o, typeof(jg_uscc_reason('x')) r,
      jg_amount('0.2', 'wan') v, jg_date('2024/3/5') dt`);
    expect(row).toEqual({ d: 'DATE', a: 'DECIMAL(18,2)', p: 'VARCHAR[]', o: 'BOOLEAN', r: 'VARCHAR', v: '2000.00', dt: '2024-03-05' });
  });

  it('passes NULL through as NULL', async () => {
    const row = await wh.one(`select jg_uscc_norm(null) a, jg_uscc_warn(null) b, jg_uscc_reason(null) c, jg_date(null) d,
      jg_date_reason(null) e, jg_date_open(null) f, jg_amount(null, 'wan') g, jg_amount_reason(null, 'yuan') h,
      jg_penalty_types(null) i, jg_penalty_reason(null) j, jg_excel_mangled(null) k, jg_known_area(null) l`);
    expect(Object.values(row ?? {}).every((v) => v === null)).toBe(true);
  });

  it('does not raise on constant impossible input, where DuckDB folds the expression at bind time', async () => {
    const row = await wh.one(`select jg_date('2024-02-30') d, jg_date_reason('2024-02-30') r, jg_date('60') s,
      jg_amount('99999999999999999999', 'yuan') a, jg_amount_reason('99999999999999999999', 'yuan') ar`);
    expect(row).toEqual({ d: null, r: 'date-impossible', s: null, a: null, ar: 'amount-precision' });
  });

  it('raises on a unit other than wan or yuan, which is a bug in the calling SQL', async () => {
    await expect(wh.all("select jg_amount('1', 'fen')")).rejects.toThrow(/unit must be 'wan' or 'yuan'/);
  });
});
