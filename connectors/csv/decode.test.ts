import { describe, expect, it } from 'vitest';
import { createDecoder, utf8CompletePrefix } from './decode.ts';

const gbkBytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');

describe('createDecoder', () => {
  it('strips a UTF-8 BOM and keeps characters split across chunks', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('名称\n河北', 'utf8')]);
    const d = createDecoder('utf-8', 'f.csv');
    const parts = [d.push(bytes.subarray(0, 5), 1), d.push(bytes.subarray(5), 1), d.end(2)];
    expect(Buffer.concat(parts).toString('utf8')).toBe('名称\n河北');
  });

  it('rejects invalid UTF-8 naming the line', () => {
    const d = createDecoder('utf-8', 'f.csv');
    expect(() => d.push(Buffer.concat([Buffer.from('a\nb\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]), 1)).toThrow(/f\.csv: line 3/);
  });

  it('decodes GBK to UTF-8 and fails on undecodable bytes instead of replacing them', () => {
    // 河北 in GBK is BAD3 B1B1
    const d = createDecoder('gbk', 'g.csv');
    expect(Buffer.from(d.push(gbkBytes('BAD3 B1B1 0A'), 1)).toString('utf8')).toBe('河北\n');
    const bad = createDecoder('gbk', 'g.csv');
    try {
      bad.push(gbkBytes('41 0A BAD3 FF FF 0A'), 1);
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe('undecodable-bytes');
      expect((err as Error).message).toMatch(/line 2/);
    }
  });

  it('utf8CompletePrefix stops before a partial sequence', () => {
    const b = Buffer.from('a河', 'utf8');
    expect(utf8CompletePrefix(b.subarray(0, 3))).toBe(1);
    expect(utf8CompletePrefix(b)).toBe(4);
  });
});
