import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeGbk } from '../../fixtures/generator/gbk.ts';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { col } from '../../warehouse/columns.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runLoad } from '../run/load-command.ts';

const LICENSE_HEADER =
  'XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_FRDB,XK_XKWS,XK_WSH,XK_XKLB,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,XK_ZT';
const licenseRow = (name: string, uscc: string, no: string, decided = '2024-03-05', extra = '') =>
  `${name},法人及非法人组织,${uscc},张伟,食品经营许可决定书,冀审批食〔2024〕${no}号,普通,JY1130105${no.padStart(7, '0')},"预包装食品销售,散装食品",${decided},${decided},2099/12/31,石家庄市行政审批局,11230500001755309F,1${extra}`;

// A county department with its own Chinese headers, GBK and 2024年3月5日 dates, configured only through the config.
const COUNTY_HEADER = '相对人名称,主体性质,信用代码,检查编号,事项目录编码,检查事项,检查机关,区划,检查方式,检查结论,查验日期,检查人';
const countyRow = (name: string, uscc: string, no: number, result: string, date: string, inspectors = '王强、李娜') =>
  `${name},法人,${uscc},XJ-130533-${no},${'11130000000001'},食品经营日常检查,威县市场监督管理局,130533,日常检查,"${result}",${date},${inspectors}`;

function config(dir: string, extra: object[] = []) {
  const cfg = {
    landing_dir: '.',
    sources: [
      {
        id: 'prov-license',
        level: 'province',
        region_code: '130000',
        department: '河北省市场监督管理局',
        feed: 'license',
        path: 'province/*.csv',
        encoding: 'utf-8',
      },
      {
        id: 'weixian-inspection',
        level: 'county',
        region_code: '130533',
        department: '威县市场监督管理局',
        feed: 'inspection',
        path: 'county/130533/*.csv',
        encoding: 'gbk',
        columns: {
          相对人名称: 'subject_name',
          主体性质: 'subject_nature',
          信用代码: 'uscc',
          检查编号: 'inspection_no',
          事项目录编码: 'item_code',
          检查事项: 'inspection_name',
          检查机关: 'agency',
          区划: 'region_code',
          检查方式: 'form',
          检查结论: 'results',
          查验日期: 'inspected_on',
          检查人: 'inspectors',
        },
      },
      ...extra,
    ],
  };
  const file = join(dir, 'jianguan.sources.json');
  writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

describe('runLoad', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    db = join(dir, 'w.duckdb');
    mkdirSync(join(dir, 'province'), { recursive: true });
    mkdirSync(join(dir, 'county/130533'), { recursive: true });
  });
  afterEach(() => cleanup());

  const load = (cfg: string) => runLoad({ db, config: cfg, log: silentLogger(), partRecords: 3 });

  it('loads valid records with their source lines and rejects the rest naming file, line and field', async () => {
    writeFileSync(
      join(dir, 'province/license_20241130.csv'),
      [
        LICENSE_HEADER,
        licenseRow('河北旭禾建筑装饰工程有限公司', '91130105MA07XQNN9N', '1'),
        licenseRow('"多行\n名称有限公司"', '91130108MA0CLU8T2X', '2'),
        licenseRow('坏代码有限公司', '91440300192317458E', '3'),
        'too,few,fields',
        licenseRow('日期有限公司', '91130105MA07XQNN9N', '5', '2023-02-29'),
        licenseRow('小写有限公司', '91130108ma0clu8t2x', '6'),
      ].join('\r\n'),
    );
    writeFileSync(
      join(dir, 'county/130533/inspection_20241130.csv'),
      encodeGbk(
        [
          COUNTY_HEADER,
          countyRow('威县洺州镇张记小吃店', '91130105MA07XQNN9N', 1, 'B,E', '2024年3月5日'),
          countyRow('威县某某商贸有限公司', '91130108MA0CLU8T2X', 2, '1', '2024年2月30日'),
          countyRow('威县一人检查有限公司', '91130108MA0CLU8T2X', 3, '1', '2024年3月6日', '王强'),
        ].join('\n'),
      ),
    );
    const r = await load(config(dir));
    expect(r.exitCode).toBe(0);
    expect(r.totals).toMatchObject({ batchesLoaded: 2, batchesFailed: 0, rowsRead: 9, rowsLoaded: 4, rowsRejected: 5 });
    await withWarehouse(db, async (wh) => {
      const lic = await wh.all('select subject_name, uscc, valid_to, _record_no, _source_line, _warnings from raw.license order by _record_no');
      expect(lic.map((x) => [x.subject_name, Number(x._record_no), Number(x._source_line)])).toEqual([
        ['河北旭禾建筑装饰工程有限公司', 1, 2],
        ['多行\n名称有限公司', 2, 3],
        ['小写有限公司', 6, 8],
      ]);
      expect(lic[0]?.valid_to).toBeNull(); // 2099/12/31 = open-ended
      expect(lic[2]).toMatchObject({ uscc: '91130108MA0CLU8T2X', _warnings: ['uscc-lowercase'] });
      const insp = await wh.all('select subject_name, results, inspected_on::varchar as d, inspectors from raw.inspection');
      expect(insp).toEqual([{ subject_name: '威县洺州镇张记小吃店', results: ['B', 'E'], d: '2024-03-05', inspectors: ['王强', '李娜'] }]);
      const rejects = await wh.all(
        `select b.location, r.source_line, r.record_no, r.reason_code, r.field, r.message from meta.rejects r join meta.batches b using (batch_id) order by b.location, r.record_no`,
      );
      expect(rejects.map((x) => [x.location, Number(x.source_line), x.reason_code, x.field])).toEqual(
        [
          ['county/130533/inspection_20241130.csv', 3, 'date-impossible', 'inspected_on'],
          ['county/130533/inspection_20241130.csv', 4, 'inspectors-too-few', 'inspectors'],
          ['province/license_20241130.csv', 5, 'uscc-check', 'uscc'],
          ['province/license_20241130.csv', 6, 'field-count', null],
          ['province/license_20241130.csv', 7, 'date-impossible', 'decided_on'],
        ].sort(),
      );
      expect(rejects.find((x) => x.reason_code === 'date-impossible' && x.field === 'inspected_on')?.message).toContain('查验日期');
      const bad = await wh.scalarNumber('select count(*) from meta.batches where rows_read <> rows_loaded + rows_rejected');
      expect(bad).toBe(0);
    });
  });

  it('trims spaces around values, and only where a part has any', async () => {
    writeFileSync(join(dir, 'province/padded.csv'), [LICENSE_HEADER, licenseRow(' 河北空格有限公司 ', '91130105MA07XQNN9N', '1')].join('\n'));
    writeFileSync(join(dir, 'province/plain.csv'), [LICENSE_HEADER, licenseRow('河北无空格有限公司', '91130108MA0CLU8T2X', '2')].join('\n'));
    const r = await load(config(dir));
    expect(r.totals.rowsLoaded).toBe(2);
    await withWarehouse(db, async (wh) => {
      const names = await wh.all('select subject_name from raw.license order by 1');
      expect(names.map((x) => x.subject_name)).toEqual(['河北无空格有限公司', '河北空格有限公司']);
    });
  });

  it('loads the same content once, whatever the file name, and a rerun loads nothing', async () => {
    const body = [LICENSE_HEADER, licenseRow('河北旭禾建筑装饰工程有限公司', '91130105MA07XQNN9N', '1')].join('\n');
    writeFileSync(join(dir, 'province/a_20241130.csv'), body);
    writeFileSync(join(dir, 'province/b_20241130.csv'), body);
    const cfg = config(dir);
    const first = await load(cfg);
    expect(first.files.map((f) => f.status)).toEqual(['loaded', 'skipped']);
    const second = await load(cfg);
    expect(second.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    expect(second.totals.rowsLoaded).toBe(0);
    await withWarehouse(db, async (wh) => {
      expect(await wh.scalarNumber('select count(*) from raw.license')).toBe(1);
      expect(await wh.scalar("select duplicate_of from meta.batches where status = 'skipped'", col.int())).toBe(first.files[0]?.batchId);
    });
  });

  it('fails unreadable files as whole batches and still loads the others', async () => {
    const good = [LICENSE_HEADER, licenseRow('河北旭禾建筑装饰工程有限公司', '91130105MA07XQNN9N', '1')].join('\n');
    writeFileSync(join(dir, 'province/good.csv'), good);
    writeFileSync(join(dir, 'province/unclosed.csv'), `${LICENSE_HEADER}\n"河北,法人`);
    writeFileSync(join(dir, 'province/empty.csv'), '');
    writeFileSync(join(dir, 'province/dup-header.csv'), `${LICENSE_HEADER},XK_ZT\n`);
    writeFileSync(join(dir, 'province/proto.csv'), `__proto__,${LICENSE_HEADER}\n`);
    writeFileSync(join(dir, 'province/missing.csv'), 'XK_XDR_MC,XK_XDR_LB\na,b\n');
    writeFileSync(join(dir, 'county/130533/bad-bytes.csv'), Buffer.concat([encodeGbk(`${COUNTY_HEADER}\n`), Buffer.from([0xff, 0xff, 0x0a])]));
    const r = await load(config(dir));
    expect(r.exitCode).toBe(3);
    const byFile = Object.fromEntries(r.files.map((f) => [f.location.split('/').pop(), f.status === 'failed' ? f.errorCode : f.status]));
    expect(byFile).toEqual({
      'good.csv': 'loaded',
      'unclosed.csv': 'unclosed-quote',
      'empty.csv': 'empty-file',
      'dup-header.csv': 'duplicate-header',
      'proto.csv': 'forbidden-header',
      'missing.csv': 'missing-columns',
      'bad-bytes.csv': 'undecodable-bytes',
    });
    expect(r.files.find((f) => f.location.endsWith('bad-bytes.csv'))?.error).toMatch(/bad-bytes\.csv: line 2/);
    await withWarehouse(db, async (wh) => {
      expect(await wh.scalarNumber('select count(*) from raw.license')).toBe(1);
      expect(await wh.scalarNumber("select count(*) from meta.batches where status = 'failed' and rows_read = 0")).toBe(6);
    });
  });

  it('rejects a bad sources config listing every problem', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          { id: 'a', level: 'city', region_code: '130533', department: '威县局', feed: 'license', path: '*.csv', columns: { x: 'no_such_field' } },
          { id: 'a', level: 'county', region_code: '999999', department: '某局', feed: 'nope', path: '*.csv' },
        ],
      }),
    );
    await expect(load(file)).rejects.toMatchObject({
      code: 'config-invalid',
      exitCode: 2,
      issues: expect.arrayContaining([expect.stringMatching(/^sources\.1\.feed: /)]),
    });
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          { id: 'a', level: 'city', region_code: '130533', department: '威县局', feed: 'license', path: '*.csv', columns: { x: 'no_such_field' } },
          { id: 'a', level: 'county', region_code: '999999', department: '某局', feed: 'license', path: '*.csv' },
        ],
      }),
    );
    await expect(load(file)).rejects.toMatchObject({
      issues: [
        'sources.0.level: region 130533 (威县) is a county, not a city',
        'sources.0.columns.x: "no_such_field" is not a field of license',
        'sources.1.id: duplicate source id "a"',
        'sources.1.region_code: 999999 is not a known Hebei region code',
      ],
    });
  });
});
