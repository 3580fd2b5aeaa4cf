// Damaged-but-plausible CSV through the whole load (issue 14): control characters inside fields, CR-only line
// endings (classic Mac exports), and a file that changes between its fingerprint and its scan. Real DuckDB files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { assertWholeBatches, licenceZone } from '../../testkit/licence-zone.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runLoad } from '../run/load-command.ts';

const HEADER = 'XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_FRDB,XK_XKWS,XK_WSH,XK_XKLB,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,XK_ZT';
const row = (i: number, name = `河北某某${i}商贸有限公司`, content = '预包装食品销售') =>
  `${name},法人及非法人组织,91130105MA07XQNN9N,张伟,准予许可决定书,冀审批〔2024〕${i}号,普通,JY11301050${String(i).padStart(6, '0')},${content},2024-03-05,2024-03-01,2029-02-28,石家庄市行政审批局,11230500001755309F,1`;

/** One licence file `land/license.csv` (bytes as given) under a province source with `encoding`. */
function zone(dir: string, bytes: Buffer, encoding = 'auto'): string {
  const cfg = licenceZone(dir, 0, 0);
  writeFileSync(join(dir, 'land/license.csv'), bytes);
  const c = JSON.parse(readFileSync(cfg, 'utf8'));
  c.sources[0].encoding = encoding;
  writeFileSync(cfg, JSON.stringify(c));
  return cfg;
}

const gbk = (s: string) => {
  // every character used here is ASCII or in GBK; the table below is built from the WHATWG decoder's inverse
  const out: number[] = [];
  const dec = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  for (const ch of new Set(s)) {
    if (ch.charCodeAt(0) < 0x80) continue;
    search: for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (dec.decode(new Uint8Array([a, b])) === ch) {
          table.set(ch, [a, b]);
          break search;
        }
      }
  }
  for (const ch of s) out.push(...(ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : (table.get(ch) ?? [])));
  return Buffer.from(out);
};

describe('load: damaged CSV text', () => {
  let dir: string;
  let cleanup: () => void;
  const saved = process.env.JIANGUAN_FAULT;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => {
    if (saved === undefined) delete process.env.JIANGUAN_FAULT;
    else process.env.JIANGUAN_FAULT = saved;
    cleanup();
  });

  const load = (config: string, db = join(dir, 'w.duckdb')) => runLoad({ db, config, log: silentLogger(), partRecords: 100 });

  const rawAndRejects = (db = join(dir, 'w.duckdb')) =>
    withWarehouse(db, async (wh) => {
      await assertWholeBatches(wh);
      return {
        raw: (await wh.all('select _record_no, _source_line, subject_name from raw.license order by _record_no')).map((r) => [
          Number(r._record_no),
          Number(r._source_line),
          String(r.subject_name),
        ]),
        rejects: await wh.all('select record_no, source_line, reason_code, field, message, raw from meta.rejects order by record_no'),
        batches: await wh.all('select batch_id, status, error_code, rows_read, rows_loaded from meta.batches order by batch_id'),
      };
    });

  for (const enc of ['utf-8', 'gbk'] as const) {
    it(`rejects a record with a NUL or other control character in a field, naming field, column and character (${enc})`, async () => {
      const text = [
        HEADER,
        row(1),
        row(2, '河北\u0000某某商贸有限公司'),
        `${row(3).slice(0, -2)},"1"`,
        row(4, '"河北\u0007某某"'),
        row(5, '"河北\t某某"'),
      ]
        .join('\n')
        .concat('\n');
      const config = zone(dir, enc === 'gbk' ? gbk(text) : Buffer.from(text), enc);
      const r = await load(config);
      expect(r.files.map((f) => [f.status, f.rowsLoaded, f.rowsRejected])).toEqual([['loaded', 3, 2]]);
      const { raw, rejects } = await rawAndRejects();
      expect(raw.map((x) => x[0])).toEqual([1, 3, 5]);
      expect(raw.some((x) => /[\u0000-\u0008]/.test(x[2] as string))).toBe(false);
      expect(rejects.map((j) => [Number(j.record_no), Number(j.source_line), j.reason_code, j.field])).toEqual([
        [2, 3, 'control-character', 'subject_name'],
        [4, 5, 'control-character', 'subject_name'],
      ]);
      expect(String(rejects[0]?.message)).toContain('U+0000');
      expect(String(rejects[0]?.message)).toContain('第 1 列（XK_XDR_MC）');
      expect(String(rejects[1]?.message)).toContain('U+0007');
      // the reject's raw text shows the character as a visible symbol, never the raw byte
      expect(String(rejects[0]?.raw)).toContain('河北␀某某');
    });

    it(`loads a file whose lines end in CR alone, numbered as a text editor would (${enc})`, async () => {
      const text = [HEADER, row(1), row(2, '"河北\r某某商贸有限公司"'), '', row(3)].join('\r');
      const config = zone(dir, enc === 'gbk' ? gbk(text) : Buffer.from(text), enc);
      const r = await load(config);
      expect(r.files.map((f) => [f.status, f.errorCode, f.rowsLoaded, f.rowsRejected])).toEqual([['loaded', null, 3, 0]]);
      const { raw } = await rawAndRejects();
      expect(raw).toEqual([
        [1, 2, '河北某某1商贸有限公司'],
        [2, 3, '河北\r某某商贸有限公司'],
        [3, 6, '河北某某3商贸有限公司'],
      ]);
    });
  }

  it('keeps CRLF files with line breaks inside quoted fields as they were', async () => {
    const text = [HEADER, row(1), row(2, '"河北\r\n某某"'), row(3, '"河北\r某某"')].join('\r\n');
    const r = await load(zone(dir, Buffer.from(text)));
    expect(r.files.map((f) => [f.status, f.rowsLoaded, f.rowsRejected])).toEqual([['loaded', 3, 0]]);
    expect((await rawAndRejects()).raw).toEqual([
      [1, 2, '河北某某1商贸有限公司'],
      [2, 3, '河北\r\n某某'],
      [3, 5, '河北\r某某'],
    ]);
  });

  it('fails the batch of a file that changes after its fingerprint; the next run loads the new content whole', async () => {
    const config = licenceZone(dir, 3, 250, 0);
    process.env.JIANGUAN_FAULT = 'file-change:2';
    const first = await load(config);
    expect(first.exitCode).toBe(3);
    expect(first.files.map((f) => [f.location, f.status, f.errorCode])).toEqual([
      ['license_0.csv', 'loaded', null],
      ['license_1.csv', 'failed', 'file-changed'],
      ['license_2.csv', 'loaded', null],
    ]);
    const after = await withWarehouse(join(dir, 'w.duckdb'), async (wh) => {
      await assertWholeBatches(wh);
      return wh.all(`select b.batch_id, b.location, b.status, count(r._batch_id) as raw_rows
        from meta.batches b left join raw.license r on r._batch_id = b.batch_id group by all order by b.batch_id`);
    });
    // nothing of the changed file is in raw; the fault appended a copy of its last record
    expect(after.map((b) => [b.location, b.status, Number(b.raw_rows)])).toEqual([
      ['license_0.csv', 'loaded', 250],
      ['license_1.csv', 'failed', 0],
      ['license_2.csv', 'loaded', 250],
    ]);
    delete process.env.JIANGUAN_FAULT;
    const second = await load(config);
    expect(second.files.map((f) => [f.location, f.status, f.rowsRead, f.rowsLoaded])).toEqual([
      ['license_0.csv', 'unchanged', 0, 0],
      ['license_1.csv', 'loaded', 251, 251],
      ['license_2.csv', 'unchanged', 0, 0],
    ]);
    const size = readFileSync(join(dir, 'land/license_1.csv')).length;
    const loaded = await withWarehouse(join(dir, 'w.duckdb'), (wh) =>
      wh.all("select bytes from meta.batches where status = 'loaded' and location = 'license_1.csv'"),
    );
    expect(loaded.map((b) => Number(b.bytes))).toEqual([size]);
  });
});
