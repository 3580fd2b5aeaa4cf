import { describe, expect, it } from 'vitest';
import { type LineEnding, RecordScanner, RecordSkipper, type ScanRecord } from './scan.ts';
import { lineEnding } from './sniff.ts';

/** Scans `text` fed in chunks of `size` bytes, carrying incomplete records as the connector does. */
function scanAll(text: string, size: number, ending: LineEnding = 'lf'): { records: (ScanRecord & { text: string })[]; unclosed: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  const s = new RecordScanner(',', '"', ending);
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

  it('splits CR-only text on CR, numbering lines as an editor does, whatever the chunk size', () => {
    const text = 'a,b\r1,"x\ry"\r\r"q\n""",2\r3,4';
    for (const size of [1, 2, 3, 5, 64]) {
      expect(scanAll(text, size, 'cr').records.map((r) => [r.line, r.fields, r.ctrlField, r.text])).toEqual([
        [1, 2, 0, 'a,b'],
        [2, 2, 0, '1,"x\ry"'],
        [4, 1, 0, ''],
        [5, 2, 0, '"q\n""",2'],
        [6, 2, 0, '3,4'],
      ]);
    }
  });

  it('marks the field of the first control character: any C0 but TAB, CR and LF only inside quotes or as CRLF', () => {
    const text = 'a,b\n1,x\u0000y\n"\u001f",2\n1,\ty\r\n"x\r\ny",2\r\n1,x\ry\n1,\u0007\u0000\n"a\u0000",2\r\n';
    for (const size of [1, 2, 3, 7, 64]) {
      expect(scanAll(text, size).records.map((r) => [r.line, r.ctrlField, r.ctrlByte])).toEqual([
        [1, 0, 0],
        [2, 2, 0],
        [3, 1, 0x1f],
        [4, 0, 0],
        [5, 0, 0],
        [7, 2, 13],
        [8, 2, 7],
        [9, 1, 0],
      ]);
    }
    // in a CR-only file an LF outside quotes is a stray control character
    expect(scanAll('a,b\r1,x\ny\r', 4, 'cr').records.map((r) => [r.line, r.ctrlField, r.ctrlByte])).toEqual([
      [1, 0, 0],
      [2, 2, 10],
    ]);
  });

  it('skips a too-long CR-only record to its CR, counting CRs as lines', () => {
    const sk = new RecordSkipper(',', '"', 'cr');
    const k = sk.feed(Buffer.from('xx,"a\rb\n"\rnext'));
    expect([k, sk.lineFeeds]).toEqual([10, 2]);
  });
});

describe('lineEnding', () => {
  it('takes the first line break outside quotes', () => {
    const le = (s: string) => lineEnding(Buffer.from(s), '"');
    expect(['a,b\n1,2\n', 'a,b\r\n1\r2\r\n', 'a,b', '"x\ry",b\n'].map(le)).toEqual(['lf', 'lf', 'lf', 'lf']);
    expect(['a,b\r1,2\r', 'a,b\r', '"x\ny",b\r1\n'].map(le)).toEqual(['cr', 'cr', 'cr']);
  });
});
