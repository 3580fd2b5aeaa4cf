// Issue 10, items 5 and 6: a source whose path matches nothing is reported (load result, status), a file that is
// not CSV fails naming what it is, a file matched by two sources is a config error, and a command given no config
// finds the one the last run recorded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { runLoad } from '../run/load-command.ts';
import { chooseConfig } from '../serve/recorded-config.ts';
import { runStatus } from '../serve/status.ts';
import { formatVerifyReport } from '../verify/format.ts';
import { runVerify } from '../verify/verify.ts';

const LICENSE_HEADER =
  'XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_FRDB,XK_XKWS,XK_WSH,XK_XKLB,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,XK_ZT';
const LICENSE_ROW =
  '河北旭禾建筑装饰工程有限公司,法人及非法人组织,91130105MA07XQNN9N,张伟,食品经营许可决定书,冀审批食〔2024〕1号,普通,JY11301050000001,预包装食品销售,2024-03-05,2024-03-05,2099/12/31,石家庄市行政审批局,11230500001755309F,1';

const source = (id: string, path: string) => ({
  id,
  level: 'province',
  region_code: '130000',
  department: '河北省市场监督管理局',
  feed: 'license',
  path,
});

describe('silence and config problems are reported', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  const writeConfig = (sources: object[], name = 'sources.json') => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ landing_dir: '.', sources }, null, 2));
    return file;
  };
  const load = (config: string) => runLoad({ db, config, log: silentLogger() });
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    db = join(dir, 'w.duckdb');
    mkdirSync(join(dir, 'province'), { recursive: true });
    writeFileSync(join(dir, 'province/license_20241130.csv'), `${LICENSE_HEADER}\n${LICENSE_ROW}\n`);
  });
  afterEach(() => cleanup());

  it('a source whose path matches no file is a warning of the load and a status row with 0 files', async () => {
    const config = writeConfig([source('prov-license', 'province/*.csv'), source('linxi-license', 'county/130535/license/*.csv')]);
    const r = await load(config);
    expect(r.exitCode).toBe(0);
    expect(r.emptySources).toEqual([{ sourceId: 'linxi-license', path: 'county/130535/license/*.csv' }]);
    const status = await runStatus({ db, config });
    expect(status.sources.map((s) => [s.source_id, s.files, s.batches_loaded])).toEqual([
      ['linxi-license', 0, 0],
      ['prov-license', 1, 1],
    ]);
    // without the config, status knows only what was loaded
    expect((await runStatus({ db })).sources.map((s) => s.source_id)).toEqual(['prov-license']);
  });

  it('a file that is not CSV fails as a file saying what it is', async () => {
    const files: Record<string, Buffer> = {
      'book.csv': Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.from('[Content_Types].xml\xff\xfe', 'latin1')]),
      'scan.csv': Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1'),
      'old.csv': Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00, 0x00, 0xff]),
      'packed.csv': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff]),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, 'province', name), bytes);
    const r = await load(writeConfig([source('prov-license', 'province/*.csv')]));
    expect(r.exitCode).toBe(3);
    const failed = Object.fromEntries(r.files.filter((f) => f.status === 'failed').map((f) => [f.location.split('/').pop() ?? '', f] as const));
    expect(Object.keys(failed).sort()).toEqual(['book.csv', 'old.csv', 'packed.csv', 'scan.csv']);
    for (const f of Object.values(failed)) expect(f.errorCode).toBe('not-csv');
    expect(failed['book.csv']?.error).toMatch(/looks like an Excel workbook \(xlsx\).*not CSV: export it as CSV/);
    expect(failed['scan.csv']?.error).toMatch(/looks like a PDF document, not CSV/);
    expect(failed['old.csv']?.error).toMatch(/old Excel workbook \(xls/);
    expect(failed['packed.csv']?.error).toMatch(/gzip/);
    expect(r.totals.batchesLoaded).toBe(1);
    const status = await runStatus({ db });
    expect(status.failed_batches.map((b) => b.error_code)).toEqual(['not-csv', 'not-csv', 'not-csv', 'not-csv']);
  });

  it('a file matched by two sources is a config error naming both sources and the file', async () => {
    const config = writeConfig([source('prov-license', 'province/*.csv'), source('prov-license-2', 'province/license_*.csv')]);
    const err = await load(config).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'config-invalid', exitCode: 2 });
    expect((err as Error).message).toContain('province/license_20241130.csv: matched by sources prov-license and prov-license-2');
    // also when only one of them is selected
    await expect(runLoad({ db, config, sources: ['prov-license'], log: silentLogger() })).rejects.toMatchObject({ code: 'config-invalid' });
  });

  it('without a config, the one the last run recorded is used; verify says when files were not checked', async () => {
    const config = writeConfig([source('prov-license', 'province/*.csv')], 'landing.sources.json');
    await load(config);
    const missingDefault = join(dir, 'jianguan.sources.json');
    const choice = await chooseConfig({ path: missingDefault, given: false, db });
    expect(choice).toMatchObject({ path: config, from: 'last-run' });
    expect(await chooseConfig({ path: missingDefault, given: true, db })).toMatchObject({ path: missingDefault, from: 'given' });
    const checked = await runVerify({ db, config: choice.path, configFrom: choice });
    expect(checked.files).toMatchObject({ files: 1, ok: 1 });
    expect(formatVerifyReport(checked)).toMatch(/files: 1 re-hashed under .* recorded by run 1/);
    const unchecked = await runVerify({ db });
    expect(unchecked.files).toBeNull();
    const text = formatVerifyReport(unchecked);
    expect(text).not.toContain('nothing missing');
    expect(text).toContain('landing files NOT checked');
    expect(await chooseConfig({ path: missingDefault, given: false, db: join(dir, 'none.duckdb') })).toMatchObject({ path: undefined, from: 'none' });
  });
});
