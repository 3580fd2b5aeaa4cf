// The same licence records delivered as CSV, as a JSON document inside an envelope, as NDJSON and as Parquet load into the
// same raw rows; what only JSON can get wrong (a bad line, a duplicate or forbidden key, an id as a huge number,
// an invalid document) is rejected or fails the file with its position.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../lib/log.ts';
import { makeTempDir } from '../lib/temp-dir.ts';
import { runLoad } from '../pipelines/run/load-command.ts';
import { licenceZone } from '../testkit/licence-zone.ts';
import { Warehouse, withWarehouse } from '../warehouse/db.ts';

/** The licence CSV as a department's workbook: a title row, a grouped two-row header, real date cells. */
async function writeWorkbook(path: string, keys: string[], lines: string[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['本表由系统导出']);
  const ws = wb.addWorksheet('许可信息');
  ws.addRow(['河北省行政许可信息表']);
  ws.addRow(keys.map((k) => (k === 'XK_YXQZ' ? '有效期' : k === 'XK_YXQZI' ? null : k)));
  ws.addRow(keys.map((k) => (k === 'XK_YXQZ' ? '自' : k === 'XK_YXQZI' ? '至' : null)));
  for (const l of lines) {
    const cells: unknown[] = l.split(',');
    for (const i of [9, 10, 11]) {
      const v = String(cells[i]);
      if (v !== '2023-02-29') cells[i] = new Date(`${v}T00:00:00Z`);
    }
    ws.addRow(cells);
    if (cells[5] === '冀审批〔2024〕0-20号') ws.addRow([]);
  }
  const mangled: unknown[] = lines[0]!.split(',');
  mangled[2] = 911301050000000000;
  mangled[7] = 'JY-MANGLED-1';
  ws.addRow(mangled);
  await wb.xlsx.writeFile(path);
}

const source = (id: string, connector: string, path: string, extra: object = {}) => ({
  id,
  level: 'province',
  region_code: '130000',
  department: '河北省市场监督管理局',
  feed: 'license',
  connector,
  path,
  ...extra,
});

describe('json and ndjson connectors', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let result: Awaited<ReturnType<typeof runLoad>>;
  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    licenceZone(dir, 1, 40, 9);
    const [header, ...lines] = readFileSync(join(dir, 'land/license_0.csv'), 'utf8').split('\n');
    const keys = header!.split(',');
    const records = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i]!, v])));
    writeFileSync(join(dir, 'land/license.json'), JSON.stringify({ code: 0, msg: 'ok', data: { total: records.length, list: records } }, null, 2));
    const nd = records.map((r) => JSON.stringify(r));
    const bad = [
      '{"XK_XDR_MC": "断行", ',
      JSON.stringify(records[1]).replace('{', '{"XK_FRDB": "甲",'),
      JSON.stringify(records[2]).replace('{', '{"__proto__": {"x": 1},'),
      JSON.stringify(records[3]).replace('"91130105MA07XQNN9N"', '911301050000000000001'),
      JSON.stringify(records[4]).replace('"张伟"', '"张\\u0000伟"'),
      '',
      '[1, 2]',
    ];
    writeFileSync(join(dir, 'land/license.ndjson'), [...nd, ...bad].join('\r\n'));
    // Parquet with typed columns as an exporting system writes them (a DATE column among the texts)
    const duck = await Warehouse.open(':memory:');
    await duck.run(`copy (select * replace (cast(XK_YXQZI as date) as XK_YXQZI) from read_csv('${join(dir, 'land/license_0.csv')}', all_varchar = true))
      to '${join(dir, 'land/license.parquet')}' (format parquet)`);
    duck.close();
    writeFileSync(join(dir, 'land/bad.parquet'), 'PAR1 not really');
    await writeWorkbook(join(dir, 'land/license.xlsx'), keys, lines);
    writeFileSync(join(dir, 'land/old.xlsx'), 'not a zip');
    writeFileSync(join(dir, 'land/broken.json'), '[{"XK_XDR_MC": "a"}, {"XK_XDR_MC": "b",}]');
    writeFileSync(
      join(dir, 'land/sources.json'),
      JSON.stringify({
        sources: [
          source('csv', 'csv', 'license_0.csv'),
          source('json', 'json', 'license.json', { json: { record_path: 'data.list' } }),
          source('ndjson', 'ndjson', '*.ndjson'),
          source('broken', 'json', 'broken.json'),
          source('parquet', 'parquet', 'license.parquet'),
          source('bad-parquet', 'parquet', 'bad.parquet'),
          source('xlsx', 'xlsx', 'license.xlsx', { xlsx: { sheet: '许可信息', header_row: 3, header_rows: 2 } }),
          source('bad-xlsx', 'xlsx', 'old.xlsx'),
        ],
      }),
    );
    db = join(dir, 'w.duckdb');
    result = await runLoad({ db, config: join(dir, 'land/sources.json'), log: silentLogger() });
  });
  afterAll(() => cleanup());

  it('loads the same records into the same raw rows from CSV, JSON, NDJSON and Parquet', async () => {
    const loaded = Object.fromEntries(result.files.map((f) => [f.sourceId, [f.status, f.rowsRead, f.rowsLoaded, f.rowsRejected]]));
    expect(loaded).toEqual({
      csv: ['loaded', 40, 35, 5],
      json: ['loaded', 40, 35, 5],
      ndjson: ['loaded', 46, 35, 11],
      broken: ['failed', 0, 0, 0],
      parquet: ['loaded', 40, 35, 5],
      'bad-parquet': ['failed', 0, 0, 0],
      xlsx: ['loaded', 41, 35, 6],
      'bad-xlsx': ['failed', 0, 0, 0],
    });
    await withWarehouse(db, async (wh) => {
      const cols = (await wh.all("select column_name as c from information_schema.columns where table_schema = 'raw' and table_name = 'license'"))
        .map((r) => String(r.c))
        .filter((c) => !['_batch_id', '_source_line'].includes(c));
      const rows = (id: string) =>
        `select ${cols.map((c) => `"${c}"`).join(', ')} from raw.license where _batch_id = (select batch_id from meta.batches where source_id = '${id}')`;
      for (const id of ['json', 'ndjson', 'parquet', 'xlsx']) {
        expect(await wh.scalarNumber(`select count(*) from ((${rows('csv')}) except all (${rows(id)}))`)).toBe(0);
        expect(await wh.scalarNumber(`select count(*) from ((${rows(id)}) except all (${rows('csv')}))`)).toBe(0);
      }
      // each JSON record traceable to the line its object starts on (pretty-printed: one key per line)
      const lines = await wh.all(
        "select _source_line as l from raw.license r join meta.batches b on b.batch_id = r._batch_id where b.source_id = 'json' order by 1 limit 2",
      );
      const text = readFileSync(join(dir, 'land/license.json'), 'utf8').split('\n');
      expect(text[Number(lines[0]!.l) - 1]!.trim()).toBe('{');
    });
  });

  it('rejects the bad NDJSON lines each with its line and reason, and fails an invalid JSON document with its byte offset', async () => {
    await withWarehouse(db, async (wh) => {
      const rejects = await wh.all(`
        select source_line::int as line, reason_code as reason, field from meta.rejects j join meta.batches b using (batch_id)
        where b.source_id = 'ndjson' and (reason_code like 'json-%' or reason_code = 'control-character') order by line`);
      expect(rejects).toEqual([
        { line: 41, reason: 'json-invalid', field: null },
        { line: 42, reason: 'json-duplicate-key', field: 'XK_FRDB' },
        { line: 43, reason: 'json-forbidden-key', field: '__proto__' },
        { line: 44, reason: 'json-unsafe-integer', field: 'uscc' },
        { line: 45, reason: 'control-character', field: 'legal_rep' },
        { line: 47, reason: 'json-invalid', field: null },
      ]);
    });
    const broken = result.files.find((f) => f.sourceId === 'broken')!;
    expect(broken.errorCode).toBe('invalid-json');
    expect(broken.error).toMatch(/byte 39 \(line 1\): a value is missing/);
    expect(result.files.find((f) => f.sourceId === 'bad-parquet')).toMatchObject({ errorCode: 'not-parquet' });
    expect(result.files.find((f) => f.sourceId === 'bad-xlsx')).toMatchObject({ errorCode: 'not-xlsx' });
  });

  it('reads a workbook below its title row, joins a grouped header, takes date cells, and points rejects at their cell', async () => {
    await withWarehouse(db, async (wh) => {
      const rejects = await wh.all(`
        select source_line::int as line, reason_code as reason, message from meta.rejects j join meta.batches b using (batch_id)
        where b.source_id = 'xlsx' order by line`);
      expect(rejects.map((r) => [r.line, r.reason])).toEqual([
        [4, 'date-impossible'],
        [13, 'date-impossible'],
        [22, 'date-impossible'],
        [32, 'date-impossible'],
        [41, 'date-impossible'],
        [45, 'excel-mangled-id'],
      ]);
      expect(String(rejects[0]!.message)).toMatch(/（许可信息!J4）$/);
      expect(String(rejects[5]!.message)).toMatch(/（许可信息!C45）$/);
    });
  });
});
