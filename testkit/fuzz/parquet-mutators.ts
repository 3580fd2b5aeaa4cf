// Mutators for Parquet files: truncation, byte flips in the footer, the magic or the data pages, an empty file, the
// magic alone, a valid file with zero rows, a column of another type, a column more or less, CSV text named
// .parquet. Files made again are written by DuckDB (templates.ts parquetBytes) when the input is laid out.
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { cut, flipIn, tableOf } from './damage.ts';
import { parquetBytes } from './templates.ts';
import type { Mutated, Mutator } from './types.ts';

/** The footer: its length is the 4 bytes before the closing magic. */
function footerStart(b: Buffer): number {
  if (b.length < 12) return 0;
  const len = b.readUInt32LE(b.length - 8);
  return Math.max(4, b.length - 8 - len);
}

const later = (note: string, make: (dir: string) => Promise<Buffer>, extra: Partial<Mutated> = {}): Mutated => ({
  write: async (path) => writeFile(path, await make(dirname(path))),
  note,
  ...extra,
});

const SMALL: Mutator[] = [
  { name: 'byte-flip', mutate: (t, rng) => flipIn(t.bytes, rng, 0, t.bytes.length, 'anywhere') },
  { name: 'truncate-random', mutate: (t, rng) => cut(t.bytes, rng.int(0, t.bytes.length), 'anywhere') },
  {
    name: 'truncate-footer',
    mutate: (t, rng) => cut(t.bytes, rng.int(footerStart(t.bytes), t.bytes.length - 1), 'inside the footer or its length and magic'),
  },
  { name: 'footer-flip', mutate: (t, rng) => flipIn(t.bytes, rng, footerStart(t.bytes), t.bytes.length - 8, 'in the footer (file metadata)') },
  {
    name: 'footer-length-flip',
    mutate: (t, rng) => flipIn(t.bytes, rng, t.bytes.length - 8, t.bytes.length - 4, 'in the footer length'),
  },
  {
    name: 'magic-flip',
    mutate: (t, rng) =>
      rng.chance(0.5)
        ? flipIn(t.bytes, rng, 0, 4, 'in the leading magic')
        : flipIn(t.bytes, rng, t.bytes.length - 4, t.bytes.length, 'in the closing magic'),
  },
  { name: 'data-page-flip', mutate: (t, rng) => flipIn(t.bytes, rng, 4, footerStart(t.bytes), 'in the column chunks') },
  { name: 'zero', mutate: () => ({ bytes: Buffer.alloc(0), note: 'empty file (0 bytes)' }) },
  { name: 'magic-only', mutate: (_t, rng) => ({ bytes: Buffer.from(rng.pick(['PAR1', 'PAR1PAR1', 'PAR1\0\0\0\0PAR1'])), note: 'the magic alone' }) },
  {
    name: 'zero-rows',
    mutate: (t) => later('a valid file with the columns and zero rows', (dir) => parquetBytes(dir, tableOf(t).header, [])),
  },
  {
    name: 'typed-column',
    mutate: (t, rng) => {
      // a column whose every value casts (digits as BIGINT, dates as DATE), else any column as BLOB: no value is lost
      const tb = tableOf(t);
      const fits = (i: number, re: RegExp) => tb.rows.some((r) => r[i]) && tb.rows.every((r) => !r[i] || re.test(r[i]!));
      const choices: [number, string][] = tb.header.flatMap((_, i): [number, string][] => [
        ...(fits(i, /^-?[1-9]\d{0,15}$/) ? [[i, 'BIGINT'] as [number, string]] : []),
        ...(fits(i, /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/) ? [[i, rng.pick(['DATE', 'TIMESTAMP'])] as [number, string]] : []),
      ]);
      const [i, type] = choices.length ? rng.pick(choices) : [rng.int(0, Math.max(0, tb.header.length - 1)), 'BLOB'];
      const types = tb.header.map((_, k) => (k === i ? type : 'VARCHAR'));
      return later(`column ${i + 1} (${tb.header[i]}) written as ${type}`, (dir) => parquetBytes(dir, tb.header, tb.rows, types), {
        sameRecords: true,
      });
    },
  },
  {
    name: 'uncastable-column',
    mutate: (t, rng) => {
      const tb = tableOf(t);
      const i = rng.int(0, Math.max(0, tb.header.length - 1));
      const type = rng.pick(['BIGINT', 'DOUBLE', 'DATE', 'BOOLEAN', 'DECIMAL(18,3)']);
      const types = tb.header.map((_, k) => (k === i ? type : 'VARCHAR'));
      return later(`column ${i + 1} (${tb.header[i]}) written as ${type}, values that do not cast as null`, (dir) =>
        parquetBytes(dir, tb.header, tb.rows, types),
      );
    },
  },
  {
    name: 'extra-column',
    mutate: (t) => {
      const tb = tableOf(t);
      return later(
        'an extra column 额外列',
        (dir) =>
          parquetBytes(
            dir,
            [...tb.header, '额外列'],
            tb.rows.map((r) => [...tb.header.map((_, i) => r[i] ?? null), 'x']),
          ),
        {
          sameRecords: true,
        },
      );
    },
  },
  {
    name: 'dropped-column',
    mutate: (t, rng) => {
      const tb = tableOf(t);
      const i = rng.int(0, Math.max(0, tb.header.length - 1));
      const keep = (r: (string | null)[]) => r.filter((_, k) => k !== i);
      return later(`column ${i + 1} (${tb.header[i]}) left out`, (dir) => parquetBytes(dir, keep(tb.header) as string[], tb.rows.map(keep)));
    },
  },
  {
    name: 'csv-bytes',
    mutate: (t) => {
      const tb = tableOf(t);
      return { bytes: Buffer.from(['PAR1', ...tb.header].join(',')), note: 'text starting with the magic, named .parquet' };
    },
  },
];

export const PARQUET_MUTATORS: Mutator[] = SMALL.map((m) => ({ ...m, name: `parquet-${m.name}` }));
