// A damaged workbook fails only itself: an entry of the zip that does not inflate (fuzz finding: exceljs's
// streaming reader then awaited forever, the event loop drained and the load process exited with code 13 and no
// ledger rows) is a `not-xlsx` file failure, and the good workbook next to it loads in the same run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { runLoad } from '../../pipelines/run/load-command.ts';
import { licenceZone } from '../../testkit/licence-zone.ts';

/** The workbook with the compressed bytes of its entry `name` overwritten (its local header kept). */
function damageEntry(zip: Buffer, name: string): Buffer {
  const b = Buffer.from(zip);
  const at = b.indexOf('PK\x03\x04', 0, 'latin1');
  for (let i = at; i !== -1; i = b.indexOf('PK\x03\x04', i + 4, 'latin1')) {
    const nameLen = b.readUInt16LE(i + 26);
    const extra = b.readUInt16LE(i + 28);
    if (b.toString('latin1', i + 30, i + 30 + nameLen) !== name) continue;
    const data = i + 30 + nameLen + extra;
    for (let k = 0; k < 12; k++) b[data + k] = 0xff;
    return b;
  }
  throw new Error(`no entry ${name}`);
}

describe('xlsx: a damaged zip', () => {
  let dir: string;
  let cleanup: () => void;
  let result: Awaited<ReturnType<typeof runLoad>>;
  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    licenceZone(dir, 1, 5);
    const [header, ...lines] = readFileSync(join(dir, 'land/license_0.csv'), 'utf8').split('\n');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(header!.split(','));
    for (const l of lines) ws.addRow(l.split(','));
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    writeFileSync(join(dir, 'land/a-good.xlsx'), good);
    writeFileSync(join(dir, 'land/b-workbook-entry.xlsx'), damageEntry(good, 'xl/workbook.xml'));
    writeFileSync(join(dir, 'land/c-sheet-entry.xlsx'), damageEntry(good, 'xl/worksheets/sheet1.xml'));
    writeFileSync(join(dir, 'land/d-truncated.xlsx'), good.subarray(0, Math.floor(good.length * 0.6)));
    const source = {
      id: 'x',
      level: 'province',
      region_code: '130000',
      department: '河北省市场监督管理局',
      feed: 'license',
      connector: 'xlsx',
      path: '*.xlsx',
    };
    writeFileSync(join(dir, 'land/sources.json'), JSON.stringify({ sources: [source] }));
    result = await runLoad({ db: join(dir, 'w.duckdb'), config: join(dir, 'land/sources.json'), log: silentLogger() });
  });
  afterAll(() => cleanup());

  it('fails each damaged workbook as not-xlsx, and loads the good one', () => {
    expect(result.files.map((f) => [f.location, f.status, f.errorCode ?? null])).toEqual([
      ['a-good.xlsx', 'loaded', null],
      ['b-workbook-entry.xlsx', 'failed', 'not-xlsx'],
      ['c-sheet-entry.xlsx', 'failed', 'not-xlsx'],
      ['d-truncated.xlsx', 'failed', 'not-xlsx'],
    ]);
  });
});
