import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stampOf } from '../../lib/file-stamp.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { type CsvPart, MAX_RECORD_BYTES, readCsvParts } from './prepare.ts';

describe('readCsvParts', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  async function read(
    text: string | Buffer,
    opts: { headerRow?: number; partRecords?: number; expect?: { bytes: number; stamp: string; sha256?: string }; keep?: boolean } = {},
  ) {
    const path = join(dir, 'in.csv');
    if (!opts.keep) writeFileSync(path, text);
    const headers: string[][] = [];
    const parts: (CsvPart & { text: string })[] = [];
    for await (const p of readCsvParts({
      path,
      label: 'in.csv',
      encoding: 'utf-8',
      delimiter: ',',
      quote: '"',
      headerRow: opts.headerRow ?? 1,
      tmpDir: dir,
      partRecords: opts.partRecords ?? 1000,
      onHeader: (h) => headers.push(h),
      ...(opts.expect ? { expect: opts.expect } : {}),
    }))
      parts.push({ ...p, text: p.path ? readFileSync(p.path, 'utf8') : '' });
    return { headers, parts };
  }

  it('prefixes every record with its number and start line, skipping a preamble and blank lines', async () => {
    const { headers, parts } = await read('导出时间 2024-11-30\n\na,b\n1,"x\ny"\n\n2,z\n', { headerRow: 3 });
    expect(headers).toEqual([['a', 'b']]);
    expect(parts.map((p) => p.text)).toEqual(['1,4,1,"x\ny"\n2,7,2,z\n']);
  });

  it('rejects a record longer than the limit and passes over it in one go, keeping the lines of what follows', async () => {
    const long = 'x'.repeat(3 * MAX_RECORD_BYTES);
    // an unquoted giant, a quoted giant spanning lines (with "" and a comma inside), and one left open at the end
    const quoted = `"${'y'.repeat(MAX_RECORD_BYTES)}\n"",\n${'z'.repeat(2 * MAX_RECORD_BYTES)}"`;
    const { parts } = await read(`a,b\n1,2\n${long},3\n4,5\n6,${quoted}\n7,8\n9,${long}`);
    const rejects = parts.flatMap((p) => p.rejects.map((r) => [r.recordNo, r.line, r.reason]));
    expect(rejects).toEqual([
      [2, 3, 'record-too-long'],
      [4, 5, 'record-too-long'],
      [6, 9, 'record-too-long'],
    ]);
    expect(parts.map((p) => p.text).join('')).toBe('1,2,1,2\n3,4,4,5\n5,8,7,8\n');
  });

  it('fails a file whose first line does not end within the limit (not a CSV header)', async () => {
    await expect(read(`${'h'.repeat(2 * MAX_RECORD_BYTES)},b\n1,2\n`)).rejects.toMatchObject({ code: 'header-too-long' });
    // and one that spans chunks without ever ending
    await expect(read('h'.repeat(9 * MAX_RECORD_BYTES))).rejects.toMatchObject({ code: 'header-too-long' });
  });

  it('takes ragged records out as rejects and splits parts', async () => {
    const { parts } = await read('a,b\n1,2\n3\n4,5,6\n7,8\n9,10\n', { partRecords: 2 });
    expect(parts.map((p) => [p.records, p.rejects.map((r) => [r.recordNo, r.line, r.raw])])).toEqual([
      [
        2,
        [
          [2, 3, '3'],
          [3, 4, '4,5,6'],
        ],
      ],
      [1, []],
    ]);
  });

  it('accepts a trailing delimiter on every line and rewrites records with stray quotes', async () => {
    const { parts } = await read('a,b,\n1,河北"某"公司,\n');
    expect(parts[0]?.text).toBe('1,2,"1","河北""某""公司"\n');
  });

  it('tells whether any field of a part begins or ends with a space', async () => {
    const flags = async (body: string) => (await read(`a,b\n${body}`)).parts.map((p) => p.padded);
    expect(await flags('1,2\n"x",y\n')).toEqual([false]);
    expect(await flags('1, 2\n')).toEqual([true]);
    expect(await flags('1 ,2\n')).toEqual([true]);
    expect(await flags(' 1,2\n')).toEqual([true]);
    expect(await flags('1,2 \r\n')).toEqual([true]);
    expect(await flags('1," x"\n')).toEqual([true]);
    expect(await flags('1,"x "\n')).toEqual([true]);
    expect(await flags('1,a b\n')).toEqual([false]);
  });

  it('fails when the file changed after it was fingerprinted', async () => {
    await expect(read('a\n1\n', { expect: { bytes: 999, stamp: '999:0:0:0:0' } })).rejects.toMatchObject({ code: 'file-changed' });
  });

  it('fails when the bytes read are not the bytes fingerprinted, even under the same stat stamp', async () => {
    const path = join(dir, 'in.csv');
    writeFileSync(path, 'a\n1\n');
    const stamp = stampOf(statSync(path, { bigint: true }));
    const sha256 = createHash('sha256').update('a\n2\n').digest('hex');
    await expect(read('a\n1\n', { expect: { ...stamp, sha256 }, keep: true })).rejects.toMatchObject({ code: 'file-changed' });
    const right = createHash('sha256').update('a\n1\n').digest('hex');
    expect((await read('a\n1\n', { expect: { ...stamp, sha256: right }, keep: true })).parts[0]?.records).toBe(1);
  });

  it('numbers lines of a CR-only file by CR, in rejects and in decoding errors', async () => {
    const { parts } = await read('a,b\r1,2\r3\r4,"x\ry"\r5,\u0000\r');
    expect(parts.map((p) => p.text)).toEqual(['1,2,1,2\n3,4,4,"x\ry"\n']);
    expect(parts[0]?.rejects.map((r) => [r.recordNo, r.line, r.reason, r.column ?? null])).toEqual([
      [2, 3, 'field-count', null],
      [4, 6, 'control-character', 1],
    ]);
    await expect(read(Buffer.from([...Buffer.from('a,b\r1,2\r3,'), 0xff, 13]))).rejects.toThrow(/line 3: bytes that are not valid UTF-8/);
  });

  it('fails a file whose header holds a control character', async () => {
    await expect(read('a,b\u0000\n1,2\n')).rejects.toMatchObject({ code: 'control-character' });
  });

  it('fails an empty file and an unclosed quote', async () => {
    await expect(read('')).rejects.toMatchObject({ code: 'empty-file' });
    await expect(read('a,b\n1,"open\n')).rejects.toMatchObject({ code: 'unclosed-quote' });
  });
});
