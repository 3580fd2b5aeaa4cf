import { describe, expect, it } from 'vitest';
import { encodeGbk } from '../../fixtures/generator/gbk.ts';
import { decodeGbkChunk } from './gbk-decoder.ts';

describe('decodeGbkChunk', () => {
  it('decodes like the WHATWG gb18030 decoder, two- and four-byte sequences alike', () => {
    const text = '河北省威县洺州镇张记小吃店，统一社会信用代码：91130533MA0D8N1J7G；鑫犇 ABC';
    const bytes = Buffer.concat([encodeGbk(text), Buffer.from([0x80, 0x81, 0x30, 0x81, 0x30])]);
    const r = decodeGbkChunk(bytes, true);
    expect(r.invalidAt).toBe(-1);
    expect(r.out.toString('utf8')).toBe(new TextDecoder('gb18030').decode(bytes));
  });

  it('agrees with the WHATWG decoder on every valid two-byte sequence', () => {
    const all: number[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) all.push(lead, trail);
    const bytes = Buffer.from(all);
    const r = decodeGbkChunk(bytes, true);
    expect(r.invalidAt).toBe(-1);
    expect(r.out.toString('utf8')).toBe(new TextDecoder('gb18030').decode(bytes));
  });

  it('stops at invalid bytes and keeps a split sequence for the next chunk', () => {
    expect(decodeGbkChunk(Buffer.from([0x41, 0xff, 0xff]), true).invalidAt).toBe(1);
    expect(decodeGbkChunk(Buffer.from([0x41, 0xba, 0x0a]), true).invalidAt).toBe(1);
    const split = decodeGbkChunk(Buffer.from([0x41, 0xba]), false);
    expect([split.out.toString(), split.pending, split.invalidAt]).toEqual(['A', 1, -1]);
  });
});
