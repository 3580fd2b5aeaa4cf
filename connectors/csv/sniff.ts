// A landed file that is not text at all (a workbook, a PDF, an archive) is named for what it is, instead of failing
// later as "bytes that are not valid GB18030": the first bytes of the file say it.
import { FileRejectedError } from '../../lib/errors.ts';

const CSV_HINT = 'export it as CSV (UTF-8 or GBK) or use the xlsx connector when available';

const MAGIC: { bytes: number[]; what: string; hint: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (xlsx) or another zip archive', hint: CSV_HINT },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive', hint: 'unpack it and land the CSV files it should hold' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old Excel workbook (xls, OLE2)', hint: CSV_HINT },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', hint: 'ask the department for the CSV export of the data' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive', hint: 'decompress it and land the CSV file' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], what: 'a RAR archive', hint: 'unpack it and land the CSV files it should hold' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive', hint: 'unpack it and land the CSV files it should hold' },
];

/** What the file is when its first bytes are a known binary format's signature, else null. */
export function binaryKind(head: Uint8Array): { what: string; hint: string } | null {
  for (const m of MAGIC) {
    if (head.length >= m.bytes.length && m.bytes.every((b, i) => head[i] === b)) return { what: m.what, hint: m.hint };
  }
  return null;
}

/** Throws `not-csv` when the file's first chunk is a known binary format. */
export function rejectBinary(head: Uint8Array, label: string): void {
  const kind = binaryKind(head);
  if (kind) throw new FileRejectedError('not-csv', `${label}: looks like ${kind.what}, not CSV: ${kind.hint}`);
}

/**
 * The line ending of a file from its first chunk of raw bytes (CR and LF are the same bytes in UTF-8, GBK and
 * GB18030, and never part of a multi-byte character): the first CR or LF outside quotes decides. A CR not followed
 * by LF there means CR-only lines (classic Mac OS, Excel's "CSV (Macintosh)"); anything else, or no line break at
 * all in the chunk, means LF (with or without CR before it).
 */
export function lineEnding(head: Uint8Array, quote: string): 'lf' | 'cr' {
  const q = quote.charCodeAt(0);
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === q)
      quoted = !quoted; // "" toggles twice
    else if (quoted) continue;
    else if (c === 10) return 'lf';
    else if (c === 13) return head[i + 1] === 10 ? 'lf' : 'cr';
  }
  return 'lf';
}
