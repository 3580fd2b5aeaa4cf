// The big CSV inputs, streamed to disk in 1 MiB chunks (never held in memory): a 100 MB field, a 10,000-column
// header and records, a 1 GB line without a newline. One of each per full run.
import { open } from 'node:fs/promises';
import type { Mutator, Template } from './types.ts';

const MIB = 1 << 20;

export async function stream(path: string, head: Buffer, fill: Buffer, bytes: number, tail: Buffer): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.write(head);
    for (let left = bytes; left > 0; left -= fill.length) await fh.write(fill, 0, Math.min(left, fill.length));
    await fh.write(tail);
  } finally {
    await fh.close();
  }
}

function headerOf(t: Template): { header: Buffer; firstRecord: Buffer } {
  const nl = t.bytes.indexOf(10);
  const next = nl === -1 ? -1 : t.bytes.indexOf(10, nl + 1);
  return {
    header: t.bytes.subarray(0, nl + 1),
    firstRecord: next === -1 ? Buffer.alloc(0) : t.bytes.subarray(nl + 1, next + 1),
  };
}

export const BIG_FIELD_BYTES = 100_000_000;
export const WIDE_COLUMNS = 10_000;
export const LONG_LINE_BYTES = 1_000_000_000;

export const CSV_BIG_MUTATORS: Mutator[] = [
  {
    name: 'big-field-100mb',
    big: true,
    mutate: (t) => {
      const { header, firstRecord } = headerOf(t);
      return {
        size: BIG_FIELD_BYTES,
        note: `a quoted field of ${BIG_FIELD_BYTES} bytes (with line breaks inside) opening the first record, then the template's first record`,
        write: (path) =>
          stream(
            path,
            Buffer.concat([header, Buffer.from('"')]),
            Buffer.from(`${'字段'.repeat(MIB / 12)}\n`),
            BIG_FIELD_BYTES,
            Buffer.concat([Buffer.from('",x\n'), firstRecord]),
          ),
      };
    },
  },
  {
    name: 'wide-10000-columns',
    big: true,
    mutate: (t) => {
      const { header, firstRecord } = headerOf(t);
      const extra = Array.from({ length: WIDE_COLUMNS }, (_, i) => `x${i + 1}`).join(',');
      const head = Buffer.concat([header.subarray(0, header.length - (header[header.length - 2] === 13 ? 2 : 1)), Buffer.from(`,${extra}\n`)]);
      const body = firstRecord.subarray(0, firstRecord.length - (firstRecord[firstRecord.length - 2] === 13 ? 2 : 1));
      const row = Buffer.concat([body, Buffer.from(`${',v'.repeat(WIDE_COLUMNS)}\n`)]);
      const rows = 200;
      return {
        size: head.length + row.length * rows,
        note: `${WIDE_COLUMNS} extra columns in the header and in ${rows} copies of the first record`,
        write: (path) => stream(path, head, row, row.length * rows, Buffer.alloc(0)),
      };
    },
  },
  {
    name: 'long-line-1gb',
    big: true,
    mutate: (t) => {
      const { header } = headerOf(t);
      return {
        size: LONG_LINE_BYTES,
        note: `a ${LONG_LINE_BYTES}-byte line without a newline after the header (ends the file)`,
        write: (path) => stream(path, header, Buffer.from('长行,'.repeat(MIB / 7)), LONG_LINE_BYTES, Buffer.alloc(0)),
      };
    },
  },
];
