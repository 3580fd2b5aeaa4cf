// Mutators for CSV files: byte damage, truncation at every kind of boundary, encoding swaps, quote and delimiter
// chaos, NUL bytes. Each is deterministic from its Rng. The ones marked sameRecords keep every record (line-end,
// BOM and delimiter changes declared in the config): those files must load with the template's record count.
import type { Rng } from '../../fixtures/generator/prng.ts';
import { BOM, encode, lineStarts, sameEncoding, textOf, withDelimiter } from './csv-text.ts';
import { cut } from './damage.ts';
import type { Mutator, Template } from './types.ts';

/** Offsets inside a character: after a UTF-8 lead byte, or after a GBK lead byte (0x81–0xFE followed by a trail). */
function midCharOffsets(t: Template): number[] {
  const b = t.bytes;
  const out: number[] = [];
  for (let i = t.bom ? 3 : 0; i < b.length - 1; i++) {
    const c = b[i]!;
    if (t.encoding === 'utf-8' ? c >= 0xc0 : c >= 0x81 && c <= 0xfe) {
      out.push(i + 1);
      if (t.encoding !== 'utf-8') i++; // a GBK pair: its trail byte may look like a lead
    }
  }
  return out;
}

function insertAt(b: Buffer, at: number, ins: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
}

/** A random offset inside the data (after the header line when there is one). */
function dataOffset(t: Template, rng: Rng): number {
  const starts = lineStarts(t.bytes);
  const from = starts[0] ?? 0;
  return from >= t.bytes.length ? t.bytes.length : rng.int(from, t.bytes.length - 1);
}

export const CSV_MUTATORS: Mutator[] = [
  {
    name: 'byte-flip',
    mutate: (t, rng) => {
      const b = Buffer.from(t.bytes);
      const n = rng.int(1, 8);
      const at: string[] = [];
      for (let k = 0; k < n && b.length; k++) {
        const i = rng.int(0, b.length - 1);
        b[i] = rng.int(0, 255);
        at.push(`${i}=0x${b[i]!.toString(16)}`);
      }
      return { bytes: b, note: `bytes set: ${at.join(' ')}` };
    },
  },
  {
    name: 'truncate-random',
    mutate: (t, rng) => cut(t.bytes, rng.int(0, t.bytes.length), 'anywhere'),
  },
  {
    name: 'truncate-mid-char',
    mutate: (t, rng) => {
      const offs = midCharOffsets(t);
      return offs.length
        ? cut(t.bytes, rng.pick(offs), `inside a ${t.encoding} character`)
        : cut(t.bytes, t.bytes.length - 1, 'no multi-byte character');
    },
  },
  {
    name: 'truncate-mid-quote',
    mutate: (t, rng) => {
      // quote one field of a data line, then cut inside it
      const text = textOf(t);
      const lines = text.split('\n');
      const k = lines.length > 2 ? rng.int(1, lines.length - 2) : 0;
      const d = (t.source.delimiter as string | undefined) ?? ',';
      const fields = lines[k]!.split(d);
      const f = rng.int(0, fields.length - 1);
      fields[f] = `"${fields[f]!.replaceAll('"', '""')}"`;
      lines[k] = fields.join(d);
      const b = sameEncoding(t, lines.join('\n'));
      const before = sameEncoding(t, `${lines.slice(0, k).join('\n')}${k ? '\n' : ''}${fields.slice(0, f).join(d)}${f ? d : ''}"`);
      return {
        ...cut(b, before.length + rng.int(0, Math.max(0, Buffer.byteLength(fields[f]!) - 2)), `inside the quoted field ${f + 1} of line ${k + 1}`),
      };
    },
  },
  {
    name: 'truncate-crlf',
    mutate: (t, rng) => {
      const b = sameEncoding(t, textOf(t).replaceAll('\r\n', '\n').replaceAll('\n', '\r\n'));
      const crs: number[] = [];
      for (let i = b.indexOf(13); i !== -1; i = b.indexOf(13, i + 1)) crs.push(i + 1);
      return cut(b, crs.length ? rng.pick(crs) : b.length, 'between CR and LF');
    },
  },
  {
    name: 'truncate-bom',
    mutate: (t, rng) => {
      const b = t.encoding === 'utf-8' && !t.bom ? Buffer.concat([BOM, t.bytes]) : t.bytes;
      return cut(b, rng.int(1, 2), 'inside the BOM');
    },
  },
  { name: 'truncate-zero', mutate: () => ({ bytes: Buffer.alloc(0), note: 'empty file (0 bytes)' }) },
  {
    name: 'truncate-header',
    mutate: (t, rng) => {
      const nl = t.bytes.indexOf(10);
      const at = nl === -1 ? t.bytes.length : rng.pick([nl + 1, nl, Math.max(0, nl - 1)]);
      return cut(t.bytes, at, 'at the end of the header line');
    },
  },
  {
    name: 'encoding-swap',
    mutate: (t) => {
      // the bytes of one encoding, the config declaring the other
      if (t.encoding === 'utf-8') return { bytes: t.bytes, source: { encoding: 'gbk' }, note: 'UTF-8 bytes declared gbk' };
      return { bytes: Buffer.from(textOf(t), 'utf8'), source: { encoding: 'gbk' }, note: 'GBK text re-encoded as UTF-8, declared gbk' };
    },
  },
  {
    name: 'encoding-gbk-as-utf8',
    mutate: (t) => {
      const b = t.encoding === 'utf-8' ? encode(textOf(t), 'gbk') : t.bytes;
      return { bytes: b ?? t.bytes, source: { encoding: 'utf-8' }, note: `GBK bytes declared utf-8${b ? '' : ' (not GBK-encodable: UTF-8 kept)'}` };
    },
  },
  {
    name: 'encoding-utf16',
    mutate: (t, rng) => {
      const le = rng.chance(0.5);
      const body = Buffer.from(textOf(t), 'utf16le');
      if (!le) body.swap16();
      return {
        bytes: Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), body]),
        source: { encoding: rng.pick(['auto', 'utf-8', 'gbk']) },
        note: `UTF-16${le ? 'LE' : 'BE'} with BOM`,
      };
    },
  },
  {
    name: 'line-ends-crlf',
    mutate: (t) => ({
      bytes: sameEncoding(t, textOf(t).replaceAll('\r\n', '\n').replaceAll('\n', '\r\n')),
      sameRecords: true,
      note: 'every LF made CRLF',
    }),
  },
  {
    name: 'line-ends-cr',
    mutate: (t) => ({
      bytes: sameEncoding(t, textOf(t).replaceAll('\r\n', '\n').replaceAll('\n', '\r')),
      sameRecords: true,
      note: 'every line end made CR alone',
    }),
  },
  {
    name: 'bom-added',
    mutate: (t) =>
      t.encoding === 'utf-8' && !t.bom
        ? { bytes: Buffer.concat([BOM, t.bytes]), sameRecords: true, note: 'UTF-8 BOM added' }
        : {
            bytes: Buffer.from(textOf(t), 'utf8'),
            source: { encoding: 'utf-8' },
            sameRecords: true,
            note: 'transcoded to UTF-8 without BOM, declared utf-8',
          },
  },
  {
    name: 'delimiter-declared',
    mutate: (t, rng) => {
      const d = rng.pick(['\t', ';', '|']);
      return {
        bytes: sameEncoding(t, withDelimiter(t, d)),
        source: { delimiter: d },
        sameRecords: true,
        note: `re-written with delimiter ${JSON.stringify(d)}, declared`,
      };
    },
  },
  {
    name: 'delimiter-undeclared',
    mutate: (t, rng) => {
      const d = rng.pick(['\t', ';']);
      return { bytes: sameEncoding(t, withDelimiter(t, d)), note: `re-written with delimiter ${JSON.stringify(d)}, config still ","` };
    },
  },
  {
    name: 'delimiter-doubled',
    mutate: (t, rng) => {
      const d = ((t.source.delimiter as string | undefined) ?? ',').charCodeAt(0);
      const offs: number[] = [];
      for (let i = t.bytes.indexOf(d); i !== -1; i = t.bytes.indexOf(d, i + 1)) offs.push(i);
      const at = offs.length ? rng.pick(offs) : 0;
      return { bytes: insertAt(t.bytes, at, Buffer.from([d])), note: `delimiter doubled at byte ${at}` };
    },
  },
  {
    name: 'quote-stray',
    mutate: (t, rng) => {
      let b = t.bytes;
      const n = rng.int(1, 4);
      const at: number[] = [];
      for (let k = 0; k < n; k++) {
        const i = rng.int(0, b.length);
        at.push(i);
        b = insertAt(b, i, Buffer.from('"'));
      }
      return { bytes: b, note: `quote inserted at ${at.join(', ')}` };
    },
  },
  {
    name: 'quote-unbalanced',
    mutate: (t, rng) => {
      // a quote opening a field of a data line, never closed (or closed lines later by another stray one)
      const starts = lineStarts(t.bytes);
      const at = starts.length > 1 ? rng.pick(starts.slice(0, -1)) : 0;
      return { bytes: insertAt(t.bytes, at, Buffer.from('"')), note: `quote opening the line at byte ${at}` };
    },
  },
  {
    name: 'nul-bytes',
    mutate: (t, rng) => {
      const at = dataOffset(t, rng);
      const n = rng.int(1, 3);
      return { bytes: insertAt(t.bytes, at, Buffer.alloc(n)), note: `${n} NUL byte(s) at ${at}` };
    },
  },
  {
    name: 'garbage-line',
    mutate: (t, rng) => {
      const g = Buffer.alloc(rng.int(1, 200));
      for (let i = 0; i < g.length; i++) g[i] = rng.int(0, 255);
      const starts = lineStarts(t.bytes);
      const at = starts.length ? rng.pick(starts) : 0;
      return { bytes: insertAt(t.bytes, at, Buffer.concat([g, Buffer.from('\n')])), note: `${g.length} random bytes as a line at ${at}` };
    },
  },
];
