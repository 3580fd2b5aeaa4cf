import { describe, expect, it } from 'vitest';
import { RecordScanner, type ScanRecord } from './scan.ts';

/** Scans `text` fed in chunks of `size` bytes, carrying incomplete records as the connector does. */
function scanAll(text: string, size: number): { records: (ScanRecord & { text: string })[]; unclosed: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  const s = new RecordScanner(',', '"');
  const out: (ScanRecord & { text: string })[] = [];
  let carry = Buffer.alloc(0);
  for (let off = 0; ; off += size) {
    const final = off >= bytes.length;
    const chunk = Buffer.concat([carry, bytes.subarray(off, Math.min(off + size, bytes.length))]);
    const r = s.scan(chunk, final);
    if (r.unclosedQuote) return { records: out, unclosed: true };
    for (const rec of r.records) out.push({ ...rec, text: chunk.subarray(rec.start, rec.end).toString('utf8') });
    carry = Buffer.from(chunk.subarray(r.consumed));
    if (final) break;
  }
  return { records: out, unclosed: false };
}

describe('RecordScanner', () => {
  const sample = 'a,b,c\n1,"x\ny",3\r\n"q""uote",2,3\n\n4,5,6';

  it('finds records, their start lines and field counts whatever the chunk size', () => {
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const { records } = scanAll(sample, size);
      expect(records.map((r) => [r.line, r.fields, r.text])).toEqual([
        [1, 3, 'a,b,c'],
        [2, 3, '1,"x\ny",3'],
        [4, 3, '"q""uote",2,3'],
        [5, 1, ''],
        [6, 3, '4,5,6'],
      ]);
    }
  });

  it('marks a quote inside an unquoted field as needing a rewrite', () => {
    const { records } = scanAll('a,b\n河北"某"公司,2\n"ok",3\n"x"y,4\n', 4);
    expect(records.map((r) => r.clean)).toEqual([true, false, true, false]);
  });

  it('counts delimiters inside quotes as text', () => {
    const { records } = scanAll('"a,b",c\n', 3);
    expect(records[0]?.fields).toBe(2);
  });

  it('reports a quote left open at the end of the file', () => {
    expect(scanAll('a,b\n1,"never closed\n2,3\n', 4).unclosed).toBe(true);
  });

  it('keeps multi-byte UTF-8 characters intact across chunk boundaries', () => {
    const { records } = scanAll('名称,代码\n河北旭禾建筑装饰工程有限公司,91130105MA07XQNN9N\n', 2);
    expect(records[1]?.text).toBe('河北旭禾建筑装饰工程有限公司,91130105MA07XQNN9N');
  });
});
