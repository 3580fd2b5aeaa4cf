// ref.codes comes from one definition: the feeds' code lists plus the warehouse's own sets, one row per code.
import { describe, expect, it } from 'vitest';
import { codeRows, codes } from './codes.ts';

describe('code sets', () => {
  it('label the risk classes A–D in order, from the credit rating feed', () => {
    expect(codes('credit_rating.risk_class').map((c) => `${c.code} ${c.label}`)).toEqual([
      'A 信用风险低',
      'B 信用风险一般',
      'C 信用风险较高',
      'D 信用风险高',
    ]);
  });

  it('give the levels their order and every (code_set, code) one row', () => {
    const rows = codeRows();
    expect(rows.filter((r) => r[0] === 'level').map((r) => [r[1], r[2], r[3]])).toEqual([
      ['province', '省', 1],
      ['city', '市', 2],
      ['county', '县', 3],
    ]);
    expect(new Set(rows.map((r) => `${r[0]}|${r[1]}`)).size).toBe(rows.length);
    expect(rows.some((r) => r[0] === 'license.status' && r[1] === '4' && r[2] === '注销')).toBe(true);
  });
});
