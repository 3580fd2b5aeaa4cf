import { describe, expect, it } from 'vitest';
import { parseDate } from './dates.ts';

const ok = (value: string) => ({ ok: true, value, openEnded: false });
const OPEN = { ok: true, value: null, openEnded: true };

describe('parseDate', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024-3-5', '2024-03-05'],
    ['2024/03/05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.3.5', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['2024年03月05日', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024-03-05T10:00:00', '2024-03-05'],
    ['2024-03-05T10:00:00+08:00', '2024-03-05'],
    ['2024-03-05T23:59:59.123Z', '2024-03-05'],
    ['2024-03-05 10:00:00', '2024-03-05'],
    ['2024/3/5 10:00', '2024-03-05'],
    ['  2024-03-05\u3000', '2024-03-05'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['1900-01-01', '1900-01-01'],
    ['2100-12-31', '2100-12-31'],
  ])('reads %j as %s', (raw, value) => {
    expect(parseDate(raw)).toEqual(ok(value));
  });

  it.each([
    ['45356', '2024-03-05'],
    ['45356.5', '2024-03-05'],
    ['1', '1900-01-01'],
    ['59', '1900-02-28'],
    ['61', '1900-03-01'],
    ['73049', '2099-12-30'],
  ])('reads Excel serial %s as %s', (raw, value) => {
    expect(parseDate(raw)).toEqual(ok(value));
  });

  it('rejects serial 60, the 1900-02-29 Excel invented', () => {
    expect(parseDate('60')).toMatchObject({ ok: false, reason: 'date-impossible' });
  });

  it('rejects serials outside 1..73050 as unreadable', () => {
    for (const raw of ['0', '73051', '99999', '0.5']) expect(parseDate(raw), raw).toMatchObject({ reason: 'date-format' });
  });

  it.each([
    '2099-12-31',
    '2099/12/31',
    '2099-12-31 00:00:00',
    '2099年12月31日',
    '20991231',
    '73050',
    '长期',
    '长期有效',
    '永久',
    '无固定期限',
    ' 长期 ',
  ])('reads %j as open-ended', (raw) => {
    expect(parseDate(raw)).toEqual(OPEN);
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-04-31',
    '20241301',
    '1899-12-31',
    '2101-01-01',
    '0000-01-01',
  ])('rejects impossible date %j', (raw) => {
    expect(parseDate(raw)).toMatchObject({ ok: false, reason: 'date-impossible' });
  });

  it.each([
    'abc',
    '2024-03',
    '2024-3-5-1',
    '2024-03/05',
    '24-03-05',
    '2024/03/05 25:00',
    '2024-03-05T10',
    '２０２４-03-05',
    '2024年3月5',
    '202403051',
    '-1',
    '45356.',
    '2024-03-05 10:00:00 extra',
  ])('rejects unreadable %j', (raw) => {
    expect(parseDate(raw)).toMatchObject({ ok: false, reason: 'date-format' });
  });

  it('treats a blank field as absent', () => {
    expect(parseDate('')).toEqual({ ok: true, value: null, openEnded: false });
    expect(parseDate(' \t ')).toEqual({ ok: true, value: null, openEnded: false });
  });

  it('explains failures in Chinese', () => {
    expect(parseDate('2024-02-30')).toMatchObject({ message: '不存在的日期2024-02-30' });
    expect(parseDate('abc')).toMatchObject({ message: '无法识别的日期“abc”' });
  });

  it('does not depend on the process time zone', () => {
    const tz = process.env.TZ;
    try {
      for (const zone of ['Pacific/Kiritimati', 'America/Adak', 'Asia/Shanghai']) {
        process.env.TZ = zone;
        expect(parseDate('45356')).toEqual(ok('2024-03-05'));
        expect(parseDate('2024-03-05T00:30:00+14:00')).toEqual(ok('2024-03-05'));
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
