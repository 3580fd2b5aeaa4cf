// Small hand-written licence landing zones for process-level tests (crash, faults, CLI): national field codes,
// one province source over `land/*.csv`, or one file with Chinese headers and a city source.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Warehouse } from '../warehouse/db.ts';

const HEADER = 'XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_FRDB,XK_XKWS,XK_WSH,XK_XKLB,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,XK_ZT';

function config(dir: string, source: Record<string, string>): string {
  const cfg = join(dir, 'land/sources.json');
  writeFileSync(cfg, JSON.stringify({ sources: [{ ...source, feed: 'license', path: '*.csv' }] }));
  return cfg;
}

/**
 * `files` files `land/license_<f>.csv` of `records` licences each; with `rejectEvery` n, every n-th record has an
 * impossible date (2023-02-29) and is rejected. Returns the sources config's path.
 */
export function licenceZone(dir: string, files: number, records: number, rejectEvery = 0): string {
  mkdirSync(join(dir, 'land'), { recursive: true });
  for (let f = 0; f < files; f++) {
    const rows = [HEADER];
    for (let i = 0; i < records; i++) {
      const decided = rejectEvery > 0 && i % rejectEvery === 0 ? '2023-02-29' : `2024-03-${String((i % 28) + 1).padStart(2, '0')}`;
      rows.push(
        `河北某某${f}-${i}商贸有限公司,法人及非法人组织,91130105MA07XQNN9N,张伟,准予许可决定书,冀审批〔2024〕${f}-${i}号,普通,JY1130105${f}${String(i).padStart(6, '0')},预包装食品销售,${decided},2024-03-01,2029-02-28,石家庄市行政审批局,11230500001755309F,1`,
      );
    }
    writeFileSync(join(dir, `land/license_${f}.csv`), rows.join('\n'));
  }
  return config(dir, { id: 'p', level: 'province', region_code: '130000', department: '河北省市场监督管理局' });
}

/** One licence file with Chinese headers (`land/license.csv`) and a city source; returns the config's path. */
export function oneLicenceLanding(dir: string): string {
  mkdirSync(join(dir, 'land'), { recursive: true });
  writeFileSync(
    join(dir, 'land/license.csv'),
    '行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政许可决定文书名称,行政许可决定文书号,许可类别,许可编号,许可内容,许可决定日期,有效期自,有效期至,许可机关,许可机关统一社会信用代码,当前状态\n' +
      '河北旭禾建筑装饰工程有限公司,法人及非法人组织,91130105MA07XQNN9N,张伟,准予许可决定书,冀审批〔2024〕1号,普通,JY11301050000011,预包装食品销售,2024/3/5,2024/3/5,2029/3/4,石家庄市行政审批局,11230500001755309F,有效\n',
  );
  return config(dir, { id: 'sjz-license', level: 'city', region_code: '130100', department: '石家庄市行政审批局' });
}

/** No batch of a licence zone half-present: its counts equal its raw and reject rows, and no row lacks its batch. */
export async function assertWholeBatches(wh: Warehouse): Promise<void> {
  const broken = await wh.all(`
    select b.batch_id, b.rows_loaded, b.rows_rejected,
           (select count(*) from raw.license r where r._batch_id = b.batch_id) as raw_rows,
           (select count(*) from meta.rejects j where j.batch_id = b.batch_id) as reject_rows
    from meta.batches b
    where b.rows_loaded <> (select count(*) from raw.license r where r._batch_id = b.batch_id)
       or b.rows_rejected <> (select count(*) from meta.rejects j where j.batch_id = b.batch_id)
       or b.rows_read <> b.rows_loaded + b.rows_rejected`);
  expect(broken).toEqual([]);
  const orphans = await wh.scalarNumber(
    'select count(*) from raw.license r where not exists (select 1 from meta.batches b where b.batch_id = r._batch_id)',
  );
  const orphanRejects = await wh.scalarNumber(
    'select count(*) from meta.rejects j where not exists (select 1 from meta.batches b where b.batch_id = j.batch_id)',
  );
  expect([orphans, orphanRejects]).toEqual([0, 0]);
}
