import { describe, expect, it } from 'vitest';
import { parseAmount } from './amounts.ts';

describe('parseAmount', () => {
  it.each([
    ['0.2', 'wan', '2000.00'],
    ['0.000001', 'wan', '0.01'],
    ['1', 'wan', '10000.00'],
    ['0.2', 'yuan', '0.20'],
    ['2000', 'yuan', '2000.00'],
    ['2,000.5', 'yuan', '2000.50'],
    ['1,234,567.89', 'yuan', '1234567.89'],
    ['２，０００．５', 'yuan', '2000.50'],
    ['2000元', 'wan', '2000.00'],
    ['0.2万元', 'yuan', '2000.00'],
    ['0.2 万', 'yuan', '2000.00'],
    ['+5', 'yuan', '5.00'],
    ['0', 'yuan', '0.00'],
    ['-0', 'yuan', '0.00'],
    ['-0.00', 'wan', '0.00'],
    ['007', 'yuan', '7.00'],
    ['1.500', 'yuan', '1.50'],
    ['1.1234560', 'wan', '11234.56'],
    [' 12.5\u3000', 'yuan', '12.50'],
    ['9999999999999999.99', 'yuan', '9999999999999999.99'],
    ['999999999999.999999', 'wan', '9999999999999999.99'],
  ] as const)('reads %j (%s) as %s yuan', (raw, unit, value) => {
    expect(parseAmount(raw, unit)).toEqual({ ok: true, value });
  });

  it.each([
    ['-1', 'yuan'],
    ['-0.01', 'yuan'],
    ['-0.2万元', 'yuan'],
  ] as const)('rejects negative %j', (raw, unit) => {
    expect(parseAmount(raw, unit)).toMatchObject({ ok: false, reason: 'amount-negative' });
  });

  it.each([
    ['0.001', 'yuan'],
    ['0.0000001', 'wan'],
    ['1.005元', 'wan'],
    ['10000000000000000', 'yuan'],
    ['1000000000000', 'wan'],
  ] as const)('rejects %j (%s) as beyond fen or DECIMAL(18,2)', (raw, unit) => {
    expect(parseAmount(raw, unit)).toMatchObject({ ok: false, reason: 'amount-precision' });
  });

  it.each(['abc', '1.2.3', '1,00', '1000,000', '.5', '5.', '1e5', '¥5', '5 美元', '5元元', '--5', '1 000', '万元'])(
    'rejects unreadable %j',
    (raw) => {
      expect(parseAmount(raw, 'yuan')).toMatchObject({ ok: false, reason: 'amount-format' });
    },
  );

  it('treats a blank field as absent', () => {
    expect(parseAmount('', 'wan')).toEqual({ ok: true, value: null });
    expect(parseAmount('  ', 'yuan')).toEqual({ ok: true, value: null });
  });

  it('is exact where binary floating point is not', () => {
    // 0.07 * 10000 = 700.0000000000001 in floating point
    expect(parseAmount('0.07', 'wan')).toEqual({ ok: true, value: '700.00' });
    expect(parseAmount('123456789012.345678', 'wan')).toEqual({ ok: true, value: '1234567890123456.78' });
  });
});
