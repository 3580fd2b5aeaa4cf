import { cut, flipIn, tableOf } from './damage.ts';
import { offsetsOf } from './json-text.ts';
import { cellValue, workbookBytes, XLSX_OPTIONS } from './templates.ts';
import type { Mutated, Mutator, Template } from './types.ts';

/** Offsets of a 4-byte zip signature `PK..`. */
const signatures = (b: Buffer, third: number): number[] =>
  offsetsOf(b, 0x50).filter((i) => b[i + 1] === 0x4b && b[i + 2] === third && b[i + 3] === third + 1);

const cells = (t: Template) => tableOf(t).rows.map((r) => r.map(cellValue) as unknown[]);

/** A workbook written when the input is laid out (exceljs writes asynchronously). */
const later = (note: string, make: () => Promise<Buffer>, extra: Partial<Mutated> = {}): Mutated => ({
  write: async (path) => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, await make());
  },
  note,
  ...extra,
});

const SMALL: Mutator[] = [
  { name: 'byte-flip', mutate: (t, rng) => flipIn(t.bytes, rng, 0, t.bytes.length, 'anywhere') },
  { name: 'truncate-random', mutate: (t, rng) => cut(t.bytes, rng.int(0, t.bytes.length), 'anywhere') },
  {
    name: 'central-directory-flip',
    mutate: (t, rng) => {
      const cd = signatures(t.bytes, 1);
      const from = cd.length ? cd[0]! : Math.max(0, t.bytes.length - 200);
      return flipIn(t.bytes, rng, from, t.bytes.length, 'in the central directory');
    },
  },
  {
    name: 'truncate-central-directory',
    mutate: (t, rng) => {
      const cd = signatures(t.bytes, 1);
      return cut(t.bytes, cd.length ? rng.pick(cd) + rng.int(0, 30) : t.bytes.length - 22, 'inside the central directory');
    },
  },
  {
    name: 'local-header-flip',
    mutate: (t, rng) => {
      const lh = signatures(t.bytes, 3);
      const at = lh.length ? rng.pick(lh) : 0;
      return flipIn(t.bytes, rng, at, Math.min(t.bytes.length, at + 30), `in the local header at ${at}`);
    },
  },
  {
    name: 'entry-data-flip',
    mutate: (t, rng) => {
      const lh = signatures(t.bytes, 3);
      const at = lh.length ? rng.pick(lh) + 30 : 0;
      return flipIn(t.bytes, rng, at, Math.min(t.bytes.length, at + 400), `in the compressed data after ${at}`);
    },
  },
  { name: 'zero', mutate: () => ({ bytes: Buffer.alloc(0), note: 'empty file (0 bytes)' }) },
  {
    name: 'not-zip',
    mutate: (t) => {
      const tb = tableOf(t);
      return { bytes: Buffer.from([tb.header, ...tb.rows].map((r) => r.join(',')).join('\n')), note: 'CSV text named .xlsx' };
    },
  },
  {
    name: 'sheet-missing',
    mutate: (t, rng) => {
      const sheet = rng.pick(['Sheet1', '许可信息', 3]);
      return { bytes: t.bytes, source: { xlsx: { ...XLSX_OPTIONS, sheet } }, note: `sheet ${JSON.stringify(sheet)} declared` };
    },
  },
  {
    name: 'sheet-by-position',
    mutate: (t) => ({
      bytes: t.bytes,
      source: { xlsx: { ...XLSX_OPTIONS, sheet: 2 } },
      sameRecords: true,
      note: 'sheet 2 (the data sheet) declared by position',
    }),
  },
  { name: 'empty-sheet', mutate: () => later('the data sheet is empty', () => workbookBytes([], [], { title: false })) },
  { name: 'header-only', mutate: (t) => later('title and header, no records', () => workbookBytes(tableOf(t).header, [])) },
  {
    name: 'no-title-row',
    mutate: (t) => later('no title row above the header (header_row 2 still)', () => workbookBytes(tableOf(t).header, cells(t), { title: false })),
  },
  {
    name: 'header-row-declared',
    mutate: (t) =>
      later(
        'three more title rows, header_row 5 declared',
        () => workbookBytes(['副标题'], [['单位：个'], ['（截至2024年）'], tableOf(t).header, ...cells(t)]),
        { source: { xlsx: { ...XLSX_OPTIONS, header_row: 5 } }, sameRecords: true },
      ),
  },
  {
    name: 'id-numbers',
    mutate: (t) =>
      later(
        'digit-only cells (ids) as number cells',
        async () => {
          const tb = tableOf(t);
          return workbookBytes(
            tb.header,
            tb.rows.map((r) => r.map((v) => (/^\d{6,}$/.test(v) ? Number(v) : cellValue(v)))),
          );
        },
        { sameRecords: true },
      ),
  },
  {
    name: 'odd-cells',
    mutate: (t, rng) => {
      const tb = tableOf(t);
      const odd: unknown[] = [true, 0.1 + 0.2, -0, 1e308, { formula: 'A1&"x"', result: 'x' }, { error: '#N/A' }, '', ' '];
      const rows = tb.rows.map((r) => r.map((v) => (rng.chance(0.1) ? rng.pick(odd) : cellValue(v))));
      return later('about one cell in ten replaced by a boolean, a float, a formula, an error, a blank', () => workbookBytes(tb.header, rows), {
        sameRecords: true,
      });
    },
  },
];

export const WIDE_XLSX_COLUMNS = 10_000;

export const XLSX_BIG_MUTATORS: Mutator[] = [
  {
    name: 'xlsx-wide-10000-columns',
    big: true,
    mutate: (t) => {
      const tb = tableOf(t);
      const extra = Array.from({ length: WIDE_XLSX_COLUMNS }, (_, i) => `x${i + 1}`);
      const rows = tb.rows.slice(0, 50).map((r) => [...r.map(cellValue), ...extra.map(() => 'v')]);
      return later(
        `${WIDE_XLSX_COLUMNS} extra columns in the header and in ${rows.length} records`,
        () => workbookBytes([...tb.header, ...extra], rows),
        {
          size: rows.length * WIDE_XLSX_COLUMNS * 20,
        },
      );
    },
  },
];

export const XLSX_MUTATORS: Mutator[] = SMALL.map((m) => ({ ...m, name: `xlsx-${m.name}` }));
