// Text helpers for the CSV mutators: a template's text, re-encoding it, and re-writing its records with another
// delimiter (parsed by csv-parse, the reference parser, so the records stay the records).
import { parse } from 'csv-parse/sync';
import { encodeGbk } from '../../fixtures/generator/gbk.ts';
import type { Template } from './types.ts';

export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The template's text (without a BOM). */
export function textOf(t: Template): string {
  const b = t.bom ? t.bytes.subarray(3) : t.bytes;
  return new TextDecoder(t.encoding === 'utf-8' ? 'utf-8' : 'gb18030').decode(b);
}

/** `text` in `encoding`; null when GBK cannot encode some character. */
export function encode(text: string, encoding: 'utf-8' | 'gbk'): Buffer | null {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  try {
    return encodeGbk(text);
  } catch {
    return null;
  }
}

/** The template's bytes in its own encoding with `text` instead of its content (keeping a BOM). */
export function sameEncoding(t: Template, text: string): Buffer {
  const body = t.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : (encode(text, 'gbk') ?? Buffer.from(text, 'utf8'));
  return t.bom ? Buffer.concat([BOM, body]) : body;
}

/** The template's records re-written with `delimiter` (fields quoted when they need it), LF line ends. */
export function withDelimiter(t: Template, delimiter: string): string {
  const rows = parse(textOf(t), {
    delimiter: (t.source.delimiter as string | undefined) ?? ',',
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
  const q = (v: string) => (/[",\t;\n\r]/.test(v) || v.includes(delimiter) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${rows.map((r) => r.map(q).join(delimiter)).join('\n')}\n`;
}

/** Offsets just after each LF. */
export function lineStarts(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}
