// Text helpers for the JSON and NDJSON mutators: a template's records as JSON objects, the document made of record
// texts (a pretty-printed envelope, or one object per line), and where the strings, keys and numbers of a
// document are (so a truncation can land inside one).
import type { Rng } from '../../fixtures/generator/prng.ts';
import type { Table, Template } from './types.ts';

export type JsonKind = 'json' | 'ndjson';

/** The table's records as objects keyed by the header (a short row leaves keys out). */
export function recordObjects(t: Table): Record<string, string>[] {
  return t.rows.map((r) => {
    const o: Record<string, string> = {};
    t.header.forEach((h, i) => {
      if (r[i] !== undefined && !(h in o)) o[h] = r[i]!;
    });
    return o;
  });
}

const indent = (s: string, by: string) => s.replaceAll('\n', `\n${by}`);

/** The file of record texts: an envelope `{code, msg, data: {total, list: [...]}}` pretty-printed, or NDJSON lines. */
export function jsonDocument(kind: JsonKind, records: (string | Buffer)[], o: { envelope?: boolean } = {}): Buffer {
  if (kind === 'ndjson') return Buffer.concat(records.flatMap((r) => [Buffer.from(r), Buffer.from('\n')]));
  const envelope = o.envelope ?? true;
  const by = envelope ? '      ' : '  ';
  const parts: Buffer[] = [
    Buffer.from(envelope ? `{\n  "code": 0,\n  "msg": "ok",\n  "data": {\n    "total": ${records.length},\n    "list": [` : '['),
  ];
  records.forEach((r, i) => {
    parts.push(Buffer.from(`${i ? ',' : ''}\n${by}`), typeof r === 'string' ? Buffer.from(indent(r, by)) : r);
  });
  parts.push(Buffer.from(envelope ? `\n    ]\n  }\n}\n` : '\n]\n'));
  return Buffer.concat(parts);
}

/** The template's records as texts of its own format (pretty for JSON, one line for NDJSON). */
export function recordTexts(t: Template): string[] {
  const objs = recordObjects(t.table ?? { header: [], rows: [] });
  return objs.map((o) => (t.connector === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o)));
}

export interface Span {
  kind: 'key' | 'string' | 'number';
  /** Offsets of the first and one past the last byte (a string's quotes included). */
  start: number;
  end: number;
}

/** The strings (keys apart), and numbers of a well-formed JSON text. */
export function spans(b: Buffer): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x22) {
      let j = i + 1;
      while (j < b.length && b[j] !== 0x22) j += b[j] === 0x5c ? 2 : 1;
      let k = j + 1;
      while (k < b.length && (b[k] === 0x20 || b[k] === 0x0a)) k++;
      out.push({ kind: b[k] === 0x3a ? 'key' : 'string', start: i, end: j + 1 });
      i = j;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i;
      while (j < b.length && /[-+.eE0-9]/.test(String.fromCharCode(b[j]!))) j++;
      out.push({ kind: 'number', start: i, end: j });
      i = j - 1;
    }
  }
  return out;
}

/** A random span of `kind`, or null. */
export function pickSpan(b: Buffer, kind: Span['kind'], rng: Rng, minLength = 0): Span | null {
  const s = spans(b).filter((x) => x.kind === kind && x.end - x.start >= minLength);
  return s.length ? rng.pick(s) : null;
}

export function insertAt(b: Buffer, at: number, ins: Buffer | string): Buffer {
  return Buffer.concat([b.subarray(0, at), Buffer.from(ins), b.subarray(at)]);
}

/** Offsets of every occurrence of byte `c`. */
export function offsetsOf(b: Buffer, c: number): number[] {
  const out: number[] = [];
  for (let i = b.indexOf(c); i !== -1; i = b.indexOf(c, i + 1)) out.push(i);
  return out;
}
