// Onboarding help for a department's first files: a missing required column names the file's closest headers,
// and a required column that is there but empty in every record fails the file as a whole (one reason naming the
// column and the count) instead of one reject per record; nothing of such a file is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runLoad } from '../run/load-command.ts';

const HEADER =
  '行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政许可决定文书名称,行政许可决定文书号,许可类别,许可编号,许可内容,许可决定日期,有效期自,有效期至,许可机关,许可机关统一社会信用代码,当前状态';
const row = (i: number, issuer = '石家庄市行政审批局') =>
  `河北某某${i}商贸有限公司,法人及非法人组织,91130105MA07XQNN9N,张伟,准予许可决定书,冀审批〔2024〕${i}号,普通,JY11301050000${String(i).padStart(3, '0')},预包装食品销售,2024-03-05,2024-03-05,2029-03-04,${issuer},11230500001755309F,1`;

describe('header help for new feeds', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let cfg: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    db = join(dir, 'w.duckdb');
    mkdirSync(join(dir, 'land'));
    cfg = join(dir, 'sources.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        landing_dir: '.',
        sources: [{ id: 'sjz', level: 'city', region_code: '130100', department: '石家庄市行政审批局', feed: 'license', path: 'land/*.csv' }],
      }),
    );
  });
  afterEach(() => cleanup());

  const batches = () =>
    withWarehouse(db, (wh) =>
      wh.all(`select location, status, error_code, error, rows_read::int as rows_read, rows_loaded::int as rows_loaded, rows_rejected::int as rows_rejected,
                (select count(*)::int from meta.rejects j where j.batch_id = b.batch_id) as rejects,
                (select count(*)::int from raw.license r where r._batch_id = b.batch_id) as raw_rows
              from meta.batches b order by location`),
    );

  it('a missing column names the closest unmapped header (许可机构 for 许可机关) and how to map it', async () => {
    const lines = [HEADER.replace('许可机关,', '许可机构,'), row(1), row(2)];
    writeFileSync(join(dir, 'land/license_a.csv'), lines.join('\n'));
    const r = await runLoad({ db, config: cfg, log: silentLogger() });
    expect(r.exitCode).toBe(3);
    const [b] = await batches();
    expect(b).toMatchObject({ status: 'failed', error_code: 'missing-columns', rejects: 0, raw_rows: 0 });
    expect(b!.error).toContain('required columns missing: issuer (许可机关; closest headers in the file: "许可机构")');
    expect(b!.error).toContain('e.g. {"许可机构":"issuer"}');
  });

  it('a required column empty in every record fails the file as a whole, naming column and count; another file still loads', async () => {
    writeFileSync(join(dir, 'land/license_empty.csv'), [HEADER, row(1, ''), row(2, ''), row(3, ' ')].join('\n'));
    writeFileSync(join(dir, 'land/license_good.csv'), [HEADER, row(4), row(5, '')].join('\n'));
    const r = await runLoad({ db, config: cfg, log: silentLogger() });
    expect(r.exitCode).toBe(3);
    const [empty, good] = await batches();
    expect(empty).toMatchObject({ status: 'failed', error_code: 'empty-column', rejects: 0, raw_rows: 0 });
    expect(empty!.error).toContain('required column issuer (许可机关) (column 13, header "许可机关") is empty in all 3 records');
    // one record of two rejected for the same field: records, not a file problem
    expect(good).toMatchObject({ status: 'loaded', rows_read: 2, rows_loaded: 1, rows_rejected: 1, rejects: 1, raw_rows: 1 });
  });

  it('one record alone with the column empty stays a rejected record', async () => {
    writeFileSync(join(dir, 'land/license_one.csv'), [HEADER, row(1, '')].join('\n'));
    const r = await runLoad({ db, config: cfg, log: silentLogger() });
    expect(r.exitCode).toBe(0);
    expect(await batches()).toMatchObject([{ status: 'loaded', rows_rejected: 1, rejects: 1 }]);
  });
});
