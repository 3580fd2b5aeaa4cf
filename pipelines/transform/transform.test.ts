// The transform runner on scratch model directories: order from reads (not names), cycles, unknown tables,
// selection, and a failing model that leaves the previous table as it was.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { runTransform } from './transform.ts';

const header = (name: string, key = 'k') => `-- output: ${name}\n-- grain: one row per k\n-- key: ${key}\n`;

describe('runTransform', () => {
  let dir: string;
  let cleanup: () => void;
  let sqlDir: string;
  let wh: Warehouse;
  const write = (file: string, body: string) => {
    mkdirSync(join(sqlDir, file.split('/')[0] as string), { recursive: true });
    writeFileSync(join(sqlDir, file), body);
  };
  const transform = (select?: string[]) => runTransform(wh, { sqlDir, log: silentLogger(), asOf: '2024-12-31', select });
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as { code: string; message: string; model?: string };
    }
    throw new Error('expected the transform to fail');
  };

  beforeEach(async () => {
    ({ dir, cleanup } = makeTempDir());
    sqlDir = join(dir, 'sql');
    wh = await openWarehouse(join(dir, 'w.duckdb'));
    await wh.run('create table raw.numbers as select range as k, range * 10 as v from range(5)');
    // names chosen so that alphabetical order is the wrong build order
    write(
      'staging/zz_numbers.sql',
      `${header('staging.zz_numbers')}with source as (select * from raw.numbers), final as (select k, v from source) select * from final\n`,
    );
    write('core/b_doubled.sql', `${header('core.b_doubled')}with s as (select * from staging.zz_numbers) select k, v * 2 as v from s;\n`);
    write('core/a_summed.sql', `${header('core.a_summed')}select k, v + 1 as v from core.b_doubled join staging.zz_numbers using (k, v)\n`);
    write('marts/top.sql', `${header('mart.top')}select k, v, jg_param_date('as_of') as as_of from core.b_doubled where k >= 3\n`);
  });

  afterEach(() => {
    wh.close();
    cleanup();
  });

  it('builds in the order the models read each other, whatever their names', async () => {
    write('core/a_summed.sql', `${header('core.a_summed')}select b.k, b.v + 1 as v from core.b_doubled as b\n`);
    const r = await transform();
    expect(r.models.map((m) => m.model)).toEqual(['staging.zz_numbers', 'core.b_doubled', 'core.a_summed', 'mart.top']);
    expect(await wh.all('select k, v, as_of from mart.top order by k')).toEqual([
      { k: '3', v: '60', as_of: '2024-12-31' },
      { k: '4', v: '80', as_of: '2024-12-31' },
    ]);
    const checks = await wh.all("select check_name, passed from meta.checks where model = 'core.a_summed' order by 1");
    expect(checks).toEqual([
      { check_name: 'key_not_null', passed: true },
      { check_name: 'key_unique', passed: true },
    ]);
  });

  it('rejects a cycle, naming the models in it', async () => {
    write('core/b_doubled.sql', `${header('core.b_doubled')}select k, v from core.a_summed\n`);
    write('core/a_summed.sql', `${header('core.a_summed')}select k, v from core.b_doubled\n`);
    const err = await failure(transform());
    expect(err.code).toBe('model-cycle');
    expect(err.message).toMatch(/core\.a_summed → core\.b_doubled → core\.a_summed|core\.b_doubled → core\.a_summed → core\.b_doubled/);
  });

  it('rejects a read of an unknown table, and of an unqualified one', async () => {
    write('marts/top.sql', `${header('mart.top')}with x as (select * from core.b_doubled) select * from x join core.nope using (k)\n`);
    const err = await failure(transform());
    expect(err.code).toBe('model-unknown-ref');
    expect(err.message).toContain('core.nope');
    write('marts/top.sql', `${header('mart.top')}select * from numbers\n`);
    expect((await failure(transform())).code).toBe('model-unknown-ref');
  });

  it('rejects a file without a key in its header, or with more than one statement', async () => {
    write('marts/top.sql', '-- output: mart.top\n-- grain: one row per k\nselect 1 as k\n');
    expect((await failure(transform())).code).toBe('model-invalid');
    write('marts/top.sql', `${header('mart.top')}select 1 as k; select 2 as k\n`);
    expect((await failure(transform())).code).toBe('model-invalid');
  });

  it('keeps the previous table when a model fails, and names the model', async () => {
    await transform();
    write('core/b_doubled.sql', `${header('core.b_doubled')}select k, v * 2 as v, no_such_column from staging.zz_numbers\n`);
    const err = await failure(transform());
    expect(err.code).toBe('model-failed');
    expect(err.model).toBe('core.b_doubled');
    expect(err.message).toContain('core.b_doubled');
    expect(await wh.scalarNumber('select sum(v) from core.b_doubled')).toBe(200);
    expect(await wh.scalarNumber('select count(*) from mart.top')).toBe(2);
    const failed = await wh.all("select check_name, passed from meta.checks where model = 'core.b_doubled' and not passed");
    expect(failed).toEqual([{ check_name: 'build', passed: false }]);
  });

  it('fails a model whose key is not unique, keeping the old table', async () => {
    await transform();
    write('core/b_doubled.sql', `${header('core.b_doubled')}select k % 2 as k, v from staging.zz_numbers\n`);
    const err = await failure(transform());
    expect(err.code).toBe('model-failed');
    expect(err.message).toMatch(/key_unique/);
    expect(await wh.scalarNumber('select count(*) from core.b_doubled')).toBe(5);
    const tables = await wh.all("select table_name from information_schema.tables where table_schema = 'core' order by 1");
    expect(tables.map((t) => t.table_name)).toEqual(['a_summed', 'b_doubled']);
  });

  it('selects a model and what is downstream (model+) or upstream (+model)', async () => {
    await transform();
    expect((await transform(['b_doubled+'])).models.map((m) => m.model)).toEqual(['core.b_doubled', 'core.a_summed', 'mart.top']);
    expect((await transform(['+mart.top'])).models.map((m) => m.model)).toEqual(['staging.zz_numbers', 'core.b_doubled', 'mart.top']);
    expect((await failure(transform(['nope']))).code).toBe('model-unknown-select');
  });

  it('refuses a selection whose upstream was never built', async () => {
    expect((await failure(transform(['mart.top']))).code).toBe('model-missing-upstream');
  });

  it('yields identical tables when run twice on the same data', async () => {
    await transform();
    const before = await wh.all('select * from core.a_summed order by k');
    await transform();
    expect(await wh.all('select * from core.a_summed order by k')).toEqual(before);
  });
});
