// Streams one CSV file into part files DuckDB reads without ambiguity: UTF-8, each record prefixed with
// its record number and the physical line it starts on, ragged records taken out as rejects. Memory stays
// bounded by the chunk size whatever the file size; parts let DuckDB load part k while part k+1 is scanned.
// The bytes read are hashed as they go: a file whose bytes, size or stat stamp differ from its fingerprint's by the
// end fails, so a batch never holds rows of one version of a file under the hash of another.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { FileRejectedError } from '../../lib/errors.ts';
import { type StatStamp, stampOf } from '../../lib/file-stamp.ts';
import type { RecordReason } from '../../schemas/reasons.ts';
import { createDecoder } from './decode.ts';
import { OutBuffer } from './out-buffer.ts';
import { type LineEnding, RecordScanner, RecordSkipper, type ScanRecord } from './scan.ts';
import { lineEnding, rejectBinary } from './sniff.ts';
import { quoteField, splitRecord } from './split.ts';

export interface CsvReadOptions {
  path: string;
  /** Label used in messages (the path relative to the landing directory). */
  label: string;
  encoding: 'utf-8' | 'gbk' | 'gb18030';
  delimiter: string;
  quote: string;
  headerRow: number;
  tmpDir: string;
  partRecords: number;
  /** The stat stamp (and SHA-256) the file had when it was fingerprinted: a file that differs by the end is not loaded. */
  expect?: StatStamp & { sha256?: string };
  /** Called once with the header fields; throws FileRejectedError to fail the file. */
  onHeader: (header: string[]) => void;
}

/** Longest record passed to DuckDB (its read_csv needs a line limit and a buffer several times that). */
export const MAX_RECORD_BYTES = 1 << 20;
const FIRST_PART_RECORDS = 50_000;

export interface LineReject {
  recordNo: number;
  line: number;
  reason: RecordReason;
  /** The field (or JSON key) to blame, when there is one. */
  field?: string;
  /** 0-based column the reject is about (control-character), to name its field. */
  column?: number;
  message: string;
  raw: string;
}

/** C0 control characters shown as their Unicode control pictures (U+2400 + code) in messages and raw reject text. */
export const visible = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
export const controlName = (b: number) => `U+${b.toString(16).toUpperCase().padStart(4, '0')}（${String.fromCharCode(0x2400 + b)}）`;

export interface CsvPart {
  path: string;
  /** Number of data columns (the header's), not counting the two prefix columns. */
  columns: number;
  records: number;
  rejects: LineReject[];
  /** Some field of the part begins or ends with a space: the SQL side must trim. */
  padded: boolean;
}

const CHUNK = 4 << 20;
const decoderUtf8 = new TextDecoder('utf-8');

export async function* readCsvParts(o: CsvReadOptions): AsyncGenerator<CsvPart> {
  const fh = await open(o.path, 'r');
  // replaced once the first chunk shows CR-only line endings
  let ending: LineEnding = 'lf';
  let decoder = createDecoder(o.encoding, o.label);
  let scanner = new RecordScanner(o.delimiter, o.quote);
  const hash = createHash('sha256');
  let bytesRead = 0;
  const delimByte = o.delimiter.charCodeAt(0);
  let header: string[] | null = null;
  let trailingDelimiter = false;
  let recordNo = 0;
  let partNo = 0;
  let out: OutBuffer | null = null;
  let partPath = '';
  let partRecords = 0;
  let rejects: LineReject[] = [];
  let padded = false;
  // The incomplete last record of a chunk stays at the front of `work` and the next chunk is appended to it:
  // no allocation per chunk.
  let work = Buffer.allocUnsafe(CHUNK * 2);
  let carried = 0;
  const buf = Buffer.allocUnsafe(CHUNK);
  // while a too-long record is being passed over: its skipper and the line it started on
  let skipper: RecordSkipper | null = null;
  let skipLine = 0;

  const finishPart = async (): Promise<CsvPart | null> => {
    if (!out) return null;
    out.close();
    out = null;
    const part: CsvPart = { path: partPath, columns: header?.length ?? 0, records: partRecords, rejects, padded };
    rejects = [];
    padded = false;
    partRecords = 0;
    return part;
  };

  const handle = (text: Buffer, r: ScanRecord): void => {
    if (r.end === r.start) return; // blank line: not a record
    if (r.line < o.headerRow) return; // preamble above the header
    if (header === null) {
      if (r.end - r.start > MAX_RECORD_BYTES) {
        throw new FileRejectedError(
          'header-too-long',
          `${o.label}: line ${r.line}: a header line of ${r.end - r.start} bytes: not a CSV file, or a wrong delimiter or encoding`,
        );
      }
      if (r.ctrlField) {
        throw new FileRejectedError(
          'control-character',
          `${o.label}: line ${r.line}: header column ${r.ctrlField} holds the control character ${controlName(r.ctrlByte)}`,
        );
      }
      const fields = splitRecord(decoderUtf8.decode(text.subarray(r.start, r.end)), o.delimiter, o.quote).map((h) => h.trim());
      if (fields.length > 1 && fields[fields.length - 1] === '') {
        fields.pop();
        trailingDelimiter = true;
      }
      o.onHeader(fields);
      header = fields;
      return;
    }
    recordNo++;
    const h = header.length;
    let end = r.end;
    let fields = r.fields;
    if (trailingDelimiter && fields === h + 1 && text[end - 1] === delimByte) {
      end--;
      fields--;
    }
    if (end - r.start > MAX_RECORD_BYTES) {
      rejects.push({
        recordNo,
        line: r.line,
        reason: 'record-too-long',
        message: `记录超长：${end - r.start} 字节，上限 ${MAX_RECORD_BYTES} 字节`,
        raw: decoderUtf8.decode(text.subarray(r.start, r.start + 1000)),
      });
      return;
    }
    if (fields !== h) {
      const raw = decoderUtf8.decode(text.subarray(r.start, r.end));
      rejects.push({
        recordNo,
        line: r.line,
        reason: 'field-count',
        message: `字段数与表头不一致：表头 ${h} 列，该记录 ${fields} 列`,
        raw,
      });
      return;
    }
    if (r.ctrlField) {
      rejects.push({
        recordNo,
        line: r.line,
        reason: 'control-character',
        column: r.ctrlField - 1,
        message: `第 ${r.ctrlField} 列（${header[r.ctrlField - 1]}）含控制字符 ${controlName(r.ctrlByte)}`,
        raw: visible(decoderUtf8.decode(text.subarray(r.start, r.end))),
      });
      return;
    }
    if (!out) {
      partNo++;
      partPath = join(o.tmpDir, `part-${partNo}.csv`);
      out = new OutBuffer(partPath);
    }
    if (r.padded || !r.clean) padded = true;
    out.uint(recordNo, delimByte);
    out.uint(r.line, delimByte);
    if (r.clean) out.bytes(text, r.start, end);
    else {
      const values = splitRecord(decoderUtf8.decode(text.subarray(r.start, end)), o.delimiter, o.quote);
      out.text(values.map((v) => quoteField(v, o.quote)).join(o.delimiter));
    }
    out.byte(10);
    partRecords++;
  };

  try {
    let line = 1;
    let first = true;
    for (;;) {
      const got = (await fh.read(buf, 0, CHUNK, null)).bytesRead;
      const final = got === 0;
      hash.update(buf.subarray(0, got));
      bytesRead += got;
      if (first) {
        rejectBinary(buf.subarray(0, got), o.label);
        ending = lineEnding(buf.subarray(0, got), o.quote);
        if (ending === 'cr') {
          decoder = createDecoder(o.encoding, o.label, 13);
          scanner = new RecordScanner(o.delimiter, o.quote, 'cr');
        }
      }
      first = false;
      let decoded = final ? decoder.end(line) : decoder.push(buf.subarray(0, got), line);
      if (skipper) {
        // the rest of a record already rejected as too long: pass over it without keeping it
        const k = skipper.feed(decoded);
        if (k === -1 && !final) continue;
        scanner.line = skipLine + skipper.lineFeeds;
        skipper = null;
        if (k === -1) break;
        decoded = decoded.subarray(k);
      }
      if (carried + decoded.length > work.length) {
        const bigger = Buffer.allocUnsafe((carried + decoded.length) * 2);
        work.copy(bigger, 0, 0, carried);
        work = bigger;
      }
      work.set(decoded, carried);
      const text = work.subarray(0, carried + decoded.length);
      const { records, consumed, unclosedQuote } = scanner.scan(text, final);
      if (unclosedQuote) {
        throw new FileRejectedError('unclosed-quote', `${o.label}: line ${scanner.line}: a quoted field is not closed before the end of the file`);
      }
      for (const r of records) {
        handle(text, r);
        // A small first part lets DuckDB start while the rest of the file is still being scanned.
        if (partRecords >= (partNo === 1 ? Math.min(o.partRecords, FIRST_PART_RECORDS) : o.partRecords)) {
          const part = await finishPart();
          if (part) yield part;
        }
      }
      carried = text.length - consumed;
      if (!final && header === null && carried > MAX_RECORD_BYTES) {
        throw new FileRejectedError(
          'header-too-long',
          `${o.label}: line ${scanner.line}: no line break within ${MAX_RECORD_BYTES} bytes of the header: not a CSV file, or a wrong delimiter or encoding`,
        );
      }
      if (!final && header !== null && carried > MAX_RECORD_BYTES) {
        // An unfinished record already longer than the limit is rejected now and skipped in one pass: carrying
        // it and rescanning it with every chunk would take time quadratic in its length (a 1 GB line: minutes).
        recordNo++;
        rejects.push({
          recordNo,
          line: scanner.line,
          reason: 'record-too-long',
          message: `记录超长：超过上限 ${MAX_RECORD_BYTES} 字节`,
          raw: decoderUtf8.decode(text.subarray(consumed, consumed + 1000)),
        });
        skipLine = scanner.line;
        skipper = new RecordSkipper(o.delimiter, o.quote, ending);
        if (skipper.feed(text.subarray(consumed)) !== -1)
          throw new Error(`${o.label}: line ${skipLine}: the scanner and the skipper disagree on a record's end`);
        carried = 0;
        line = scanner.line;
        continue;
      }
      text.copyWithin(0, consumed);
      line = scanner.line;
      if (final) break;
    }
    if (o.expect) {
      const sha256 = hash.digest('hex');
      const what =
        bytesRead !== o.expect.bytes
          ? `${o.expect.bytes} bytes when fingerprinted, ${bytesRead} bytes read`
          : o.expect.sha256 !== undefined && sha256 !== o.expect.sha256
            ? 'the bytes read are not the bytes fingerprinted'
            : stampOf(await fh.stat({ bigint: true })).stamp !== o.expect.stamp
              ? 'its stat stamp (size, times or inode) changed'
              : null;
      if (what) {
        throw new FileRejectedError(
          'file-changed',
          `${o.label}: the file changed while it was being loaded (${what}); nothing of it is loaded, it will be loaded again next run`,
        );
      }
    }
    const hdr = header as string[] | null;
    if (hdr === null) throw new FileRejectedError('empty-file', `${o.label}: the file has no header line`);
    const last = await finishPart();
    if (last) yield last;
    else if (rejects.length) yield { path: '', columns: hdr.length, records: 0, rejects, padded: false };
  } finally {
    try {
      (out as OutBuffer | null)?.close();
    } catch {
      // the original error matters more than a failed close of a temp file
    }
    await fh.close();
  }
}
