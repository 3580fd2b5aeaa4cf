import { describe, expect, it } from 'vitest';
import { DocumentScanner, JsonSyntaxError } from './document.ts';
import { parseRecord } from './value.ts';

/** Scans `text` fed in chunks of `size` bytes; the records' texts, or the syntax error. */
function scan(text: string, path = '', size = 3, max = 1 << 20) {
  const s = new DocumentScanner(path, max);
  const buf = Buffer.from(text);
  const out: { index: number; offset: number; line: number; text: string | null }[] = [];
  try {
    for (let i = 0; i < buf.length; i += size) {
      for (const e of s.push(buf.subarray(i, i + size)))
        out.push({ index: e.index, offset: e.offset, line: e.line, text: e.data?.toString() ?? null });
    }
    for (const e of s.end()) out.push({ index: e.index, offset: e.offset, line: e.line, text: e.data?.toString() ?? null });
    return { records: out, found: s.foundArray };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { error: err.offset, message: err.message };
    throw err;
  }
}

describe('JSON document scanner', () => {
  it('hands over the elements of the top-level array with offsets and lines, whatever the chunking', () => {
    const doc = '[\n {"a": 1, "b": "x,]"},\n {"a": [1, {"c": null}]} ,\n 7\n]';
    for (const size of [1, 2, 3, 7, 100]) {
      expect(scan(doc, '', size)).toEqual({
        found: true,
        records: [
          { index: 1, offset: 3, line: 2, text: '{"a": 1, "b": "x,]"}' },
          { index: 2, offset: 26, line: 3, text: '{"a": [1, {"c": null}]}' },
          { index: 3, offset: 53, line: 4, text: '7' },
        ],
      });
    }
  });

  it('finds the record array through an envelope by record_path, ignoring look-alike keys elsewhere', () => {
    const doc = '{"code": 0, "list": [{"x": 1}], "data": {"total": 2, "list": [{"id": "1"}, {"id": "2"}]}}';
    const r = scan(doc, 'data.list', 5);
    expect(r.records?.map((e) => e.text)).toEqual(['{"id": "1"}', '{"id": "2"}']);
    expect(scan(doc, 'data.missing').found).toBe(false);
    expect(scan('{"d\\u0061ta": {"list": [{"k": 1}]}}', 'data.list').records?.length).toBe(1);
  });

  it.each([
    ['[{"a": 1},]', 10, 'a value is missing'],
    ['[{"a": 1}', 9, 'ends before it is complete'],
    ['[{"a" 1}]', 6, 'expected ":" after the key'],
    ['[{"a": tru}]', 7, 'invalid token'],
    ['[{"a": 01}]', 7, 'invalid token'],
    ['[1] [2]', 4, 'after the end of the document'],
    ['{"a": }', 6, 'a value is missing'],
    ['["a\nb"]', 3, 'control character'],
  ])('fails %j at byte %i', (doc, offset, message) => {
    const r = scan(doc, '', 2);
    expect(r).toMatchObject({ error: offset });
    expect(r.message).toContain(message);
  });

  it('passes over a record longer than the limit without keeping it', () => {
    const big = `{"a": "${'x'.repeat(100)}"}`;
    const r = scan(`[${big}, {"b": 2}]`, '', 16, 50);
    expect(r.records).toEqual([
      { index: 1, offset: 1, line: 1, text: null },
      { index: 2, offset: big.length + 3, line: 1, text: '{"b": 2}' },
    ]);
  });
});

describe('JSON record parser', () => {
  it('keeps numbers as written, nested values as JSON text, keys in a Map', () => {
    const r = parseRecord(
      Buffer.from('{"id": 911301000000000001, "n": -1.50e3, "o": {"k": [1, 2]}, "s": "a\\u4e2d\\"", "t": true, "z": null, "__proto__": "x"}'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.fields]).toEqual([
      ['id', { kind: 'number', text: '911301000000000001' }],
      ['n', { kind: 'number', text: '-1.50e3' }],
      ['o', { kind: 'json', text: '{"k": [1, 2]}' }],
      ['s', { kind: 'string', text: 'a中"' }],
      ['t', { kind: 'boolean', text: 'true' }],
      ['z', { kind: 'null', text: null }],
      ['__proto__', { kind: 'string', text: 'x' }],
    ]);
    expect(r.duplicateKey).toBeNull();
  });

  it('reports the first duplicate key, and what is wrong with a bad record at which byte', () => {
    expect(parseRecord(Buffer.from('{"a": 1, "b": 2, "a": 3}'))).toMatchObject({ ok: true, duplicateKey: 'a' });
    expect(parseRecord(Buffer.from('[1]'))).toMatchObject({ ok: false, message: 'a record must be a JSON object, not an array' });
    expect(parseRecord(Buffer.from('{"a": 1} x'))).toMatchObject({ ok: false, offset: 9 });
    expect(parseRecord(Buffer.from('{"a": "\\q"}'))).toMatchObject({ ok: false, message: 'an invalid escape sequence in a string' });
    expect(parseRecord(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toMatchObject({ ok: false, message: 'a string is not valid UTF-8' });
  });
});
