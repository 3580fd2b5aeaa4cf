import { describe, expect, it } from 'vitest';
import { JianguanError } from '../lib/errors.ts';
import { col } from './columns.ts';
import { withWarehouse } from './db.ts';

describe('typed reads', () => {
  it('coerces what DuckDB gives as JSON: BIGINT and DECIMAL strings to numbers, NULL as null, lists and dates', async () => {
    await withWarehouse(':memory:', async (wh) => {
      const rows = await wh.rows(
        `select 9007199254740991::bigint as big, 12.50::decimal(10, 2) as amount, 'a' as t, null::varchar as gone,
                date '2024-12-31' as d, timestamp '2024-12-31 02:30:00' as ts, [1, 2]::bigint[] as ids, true as ok, 'extra' as unused`,
        {
          big: col.int(),
          amount: col.num(),
          t: col.text(),
          gone: col.nullable(col.text()),
          d: col.date(),
          ts: col.timestamp(),
          ids: col.list(col.int()),
          ok: col.bool(),
        },
      );
      expect(rows).toEqual([
        { big: 9007199254740991, amount: 12.5, t: 'a', gone: null, d: '2024-12-31', ts: '2024-12-31 02:30:00', ids: [1, 2], ok: true },
      ]);
      expect(await wh.row('select 1 as n where false', { n: col.int() })).toBeUndefined();
      expect(await wh.scalar('select count(*) from range(3)', col.int())).toBe(3);
      expect(await wh.scalar('select ? as s', ['x'], col.text())).toBe('x');
    });
  });

  it('gives timestamps as ISO 8601 with isoTimestamp', () => {
    expect(col.isoTimestamp().parse('2024-12-31 02:30:00')).toBe('2024-12-31T02:30:00');
    expect(col.isoTimestamp().parse('2024-12-31 02:30:00.123+08')).toBe('2024-12-31T02:30:00.123+08:00');
    expect(col.isoTimestamp().parse('2024-12-31 02:30:00-05:30')).toBe('2024-12-31T02:30:00-05:30');
    expect(col.isoTimestamp().safeParse('yesterday').success).toBe(false);
  });

  it('throws query-result-mismatch naming the column', async () => {
    await withWarehouse(':memory:', async (wh) => {
      const fail = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: unknown) => e as JianguanError,
        );
      const e1 = await fail(wh.rows("select 1 as id, 'x' as n", { id: col.int(), n: col.int() }));
      expect(e1).toBeInstanceOf(JianguanError);
      expect(e1?.code).toBe('query-result-mismatch');
      expect(e1?.message).toMatch(/column "n" of result row 1: expected an integer, got "x"/);
      const e2 = await fail(wh.rows('select null::int as id', { id: col.int() }));
      expect(e2?.message).toMatch(/column "id" .*expected an integer, got null/);
      const e3 = await fail(wh.row('select 1 as id', { id: col.int(), name: col.text() }));
      expect(e3?.message).toMatch(/column "name" .*missing from the result/);
      const e4 = await fail(wh.scalar('select 18446744073709551615::ubigint as n', col.int()));
      expect(e4?.message).toMatch(/column "n" .*expected an integer/);
      const e5 = await fail(wh.rows('select 42 as t', { t: col.text() }));
      expect(e5?.message).toMatch(/column "t" .*expected text, got 42/);
    });
  });
});
