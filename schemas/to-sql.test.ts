import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../warehouse/db.ts';
import { FEEDS } from './feeds/index.ts';
import { rawColumns } from './sql-types.ts';
import { convertRecord } from './to-js.ts';
import { validationSql } from './to-sql.ts';
import { validatorMacrosSql } from './validators/macros.ts';

/** Validates rows of text for `feed` (columns named after the fields) and returns the bad records and converted values. */
async function validate(
  wh: Warehouse,
  feed: keyof typeof FEEDS,
  rows: Record<string, string>[],
  extra: { constants?: Record<string, string>; values?: Record<string, Record<string, string>>; dateFormats?: string[] } = {},
) {
  const fields = Object.keys(rows[0] ?? {});
  const cols = fields.map((_, i) => `c${i + 1}`);
  await wh.run(
    `create or replace temp table input as select * from (values ${rows
      .map((r, i) => `(${i + 1}, ${i + 2}, ${fields.map((f) => `'${(r[f] ?? '').replaceAll("'", "''")}'`).join(', ')})`)
      .join(', ')}) t(_record_no, _source_line, ${cols.join(', ')})`,
  );
  const sql = validationSql(
    FEEDS[feed],
    {
      columnOfField: new Map(fields.map((f, i) => [f, `c${i + 1}`])),
      constants: extra.constants ?? {},
      values: extra.values ?? {},
      dateFormats: extra.dateFormats ?? [],
    },
    'input',
    "'{}'",
    () => undefined,
  );
  await wh.run(sql.findBad);
  const bad = await wh.all('select _record_no::int as r, err_code, err_field from _jg_bad order by 1');
  return { bad, sql };
}

describe('validationSql', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await Warehouse.open(':memory:');
    await wh.runScript(validatorMacrosSql());
  });
  afterEach(() => wh.close());

  const rating = (o: Partial<Record<string, string>> = {}) => ({
    uscc: '91130105MA07XQNN9N',
    name: '河北旭禾建筑装饰工程有限公司',
    risk_class: 'A',
    rated_on: '2024-11-30',
    rated_by: '河北省市场监督管理局',
    ...o,
  });

  it('accepts labels and aliases of code lists and rejects the rest', async () => {
    const { bad } = await validate(wh, 'credit_rating', [
      rating({ risk_class: '信用风险较高' }),
      rating({ risk_class: 'D类' }),
      rating({ risk_class: 'E' }),
    ]);
    expect(bad).toEqual([{ r: 3, err_code: 'enum-invalid', err_field: 'risk_class' }]);
  });

  it('applies a source’s own value map and custom date formats', async () => {
    const { bad } = await validate(wh, 'credit_rating', [rating({ risk_class: '甲', rated_on: '30.11.2024' })], {
      values: { risk_class: { 甲: 'A' } },
      dateFormats: ['%d.%m.%Y'],
    });
    expect(bad).toEqual([]);
  });

  it('splits multi-valued codes, keeps labels that contain a separator, and enforces exclusive codes', async () => {
    const base = {
      record_id: '1',
      name: '张三',
      case_no: '(2023)冀0533执12号',
      court: '威县人民法院',
      filed_on: '2023-05-01',
      performance: '全部未履行',
      published_on: '2023-06-01',
    };
    const { bad, sql } = await validate(wh, 'dishonest_debtor', [
      { ...base, situations: '以伪造证据、暴力、威胁等方法妨碍、抗拒执行的、违反财产报告制度' },
      { ...base, situations: '违反限制消费令，不存在的情形' },
    ]);
    expect(bad).toEqual([{ r: 2, err_code: 'enum-invalid', err_field: 'situations' }]);
    // the passing record is inserted with its codes, the failing one is left out
    await wh.run('create schema raw');
    await wh.run(
      `create table raw.dishonest_debtor (${rawColumns(FEEDS.dishonest_debtor)
        .map(([n, t]) => `"${n}" ${t}`)
        .join(', ')})`,
    );
    expect(await wh.runCounted(sql.insertRaw('1'))).toBe(1);
    expect(await wh.all('select _record_no::int as r, situations from raw.dishonest_debtor')).toEqual([{ r: 1, situations: ['2', '4'] }]);
  });

  it('requires conditional fields only when their condition holds', async () => {
    const lic = {
      subject_name: '威县张记小吃店',
      subject_kind: '个体工商户',
      uscc: '00000000000000000X',
      legal_rep: '',
      decision_doc_name: '准予许可决定书',
      decision_doc_no: '威审批〔2024〕3号',
      category: '普通',
      license_no: 'JY21305330000031',
      content: '热食类食品制售',
      decided_on: '2024-03-05',
      valid_from: '2024-03-05',
      valid_to: '2029-03-04',
      issuer: '威县行政审批局',
      issuer_uscc: '11230500001755309F',
      status: '1',
      reg_no: '',
    };
    const { bad } = await validate(wh, 'license', [
      lic,
      { ...lic, reg_no: '130533600012345' },
      { ...lic, subject_kind: '法人及非法人组织', uscc: '91130105MA07XQNN9N', reg_no: '1' },
    ]);
    expect(bad).toEqual([
      { r: 1, err_code: 'missing-required', err_field: 'reg_no' },
      { r: 3, err_code: 'missing-required', err_field: 'legal_rep' },
    ]);
  });

  it('keeps a record whose optional code list has an unknown code: the field NULL, a warning; a required one rejects', async () => {
    const listing = {
      uscc: '91130105MA07XQNN9N',
      name: '河北旭禾建筑装饰工程有限公司',
      reason: '4',
      listed_on: '2024-07-01',
      listed_by: '威县市场监督管理局',
      removal_reason: '已重新取得联系',
    };
    const rows = [listing, { ...listing, removal_reason: '5' }, { ...listing, reason: '未年报' }];
    const { bad, sql } = await validate(wh, 'abnormal_operation', rows);
    expect(bad).toEqual([{ r: 3, err_code: 'enum-invalid', err_field: 'reason' }]);
    await wh.run('create schema raw');
    await wh.run(
      `create table raw.abnormal_operation (${rawColumns(FEEDS.abnormal_operation)
        .map(([n, t]) => `"${n}" ${t}`)
        .join(', ')})`,
    );
    expect(await wh.runCounted(sql.insertRaw('1'))).toBe(2);
    const loaded = await wh.all('select _record_no::int as r, removal_reason, _warnings from raw.abnormal_operation order by 1');
    expect(loaded).toEqual([
      { r: 1, removal_reason: null, _warnings: ['enum-unknown:removal_reason=已重新取得联系'] },
      { r: 2, removal_reason: '5', _warnings: null },
    ]);
    // the JS path takes the same decisions
    expect(rows.map((t) => convertRecord(FEEDS.abnormal_operation, t))).toMatchObject([
      { ok: true, values: { removal_reason: null }, warnings: ['enum-unknown:removal_reason=已重新取得联系'] },
      { ok: true, values: { removal_reason: '5' }, warnings: [] },
      { ok: false, reason: 'enum-invalid', field: 'reason' },
    ]);
  });
});
