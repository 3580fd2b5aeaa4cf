// Reads the records of a JSON document (the elements of its record array) or of an NDJSON file (one object per
// line), in order, each with its record number, position and fields — or with why it cannot be a record. In an
// NDJSON file a bad line is one rejected record and the rest load; in a JSON document any syntax error fails the
// whole file with its byte offset, since nothing after it can be trusted.
import { open } from 'node:fs/promises';
import { FileRejectedError } from '../../lib/errors.ts';
import type { RecordReason } from '../../schemas/reasons.ts';
import { MAX_RECORD_BYTES } from '../csv/prepare.ts';
import { DocumentScanner, JsonSyntaxError } from './document.ts';
import { type JsonField, parseRecord } from './value.ts';

export type JsonFormat = 'json' | 'ndjson';

/** Keys that name a prototype in JavaScript: never a column, and a record carrying one is rejected. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonRecord =
  | { recordNo: number; line: number; fields: Map<string, JsonField> }
  | { recordNo: number; line: number; reason: RecordReason; message: string; raw: string; field?: string };

const CHUNK = 4 << 20;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A record's fields, or why it is rejected (a duplicate or forbidden key, not an object, invalid JSON). */
function toRecord(recordNo: number, line: number, bytes: Buffer, offset: number, format: JsonFormat, label: string): JsonRecord {
  const raw = () => bytes.toString('utf8', 0, Math.min(bytes.length, 1000));
  const r = parseRecord(bytes);
  if (!r.ok) {
    if (format === 'json') {
      const reason = r.message.includes('UTF-8') ? 'undecodable-bytes' : 'invalid-json';
      throw new FileRejectedError(reason, `${label}: byte ${offset + r.offset} (record ${recordNo}, line ${line}): ${r.message}`);
    }
    return { recordNo, line, reason: 'json-invalid', message: `第${r.offset + 1}字节：${r.message}`, raw: raw() };
  }
  if (r.duplicateKey !== null) {
    return { recordNo, line, reason: 'json-duplicate-key', field: r.duplicateKey, message: `键“${r.duplicateKey}”重复出现`, raw: raw() };
  }
  for (const k of r.fields.keys()) {
    if (FORBIDDEN_KEYS.has(k)) return { recordNo, line, reason: 'json-forbidden-key', field: k, message: `不允许的键“${k}”`, raw: raw() };
  }
  return { recordNo, line, fields: r.fields };
}

const tooLong = (recordNo: number, line: number, bytes: number): JsonRecord => ({
  recordNo,
  line,
  reason: 'record-too-long',
  message: `记录超长：${bytes} 字节，上限 ${MAX_RECORD_BYTES} 字节`,
  raw: '',
});

async function* chunks(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let first = true;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) return;
      let chunk = buf.subarray(0, bytesRead);
      if (first && chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
      first = false;
      yield chunk;
    }
  } finally {
    await fh.close();
  }
}

async function* documentRecords(path: string, recordPath: string, label: string): AsyncGenerator<JsonRecord> {
  const scanner = new DocumentScanner(recordPath, MAX_RECORD_BYTES);
  try {
    for await (const chunk of chunks(path)) {
      for (const e of scanner.push(chunk)) {
        yield e.data ? toRecord(e.index, e.line, e.data, e.offset, 'json', label) : tooLong(e.index, e.line, e.bytes);
      }
    }
    for (const e of scanner.end()) yield e.data ? toRecord(e.index, e.line, e.data, e.offset, 'json', label) : tooLong(e.index, e.line, e.bytes);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new FileRejectedError('invalid-json', `${label}: not valid JSON at ${err.message}`);
    throw err;
  }
  if (!scanner.foundArray) {
    throw new FileRejectedError(
      'json-no-records',
      recordPath
        ? `${label}: record_path "${recordPath}" leads to no array in the document`
        : `${label}: the document is not an array (set record_path to the array inside the envelope)`,
    );
  }
}

async function* lineRecords(path: string, label: string): AsyncGenerator<JsonRecord> {
  let line = 0;
  let recordNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const finish = (bytes: Buffer | null, length: number): JsonRecord | null => {
    line++;
    if (bytes?.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) return null; // a blank line is no record
    recordNo++;
    return bytes ? toRecord(recordNo, line, bytes, 0, 'ndjson', label) : tooLong(recordNo, line, length);
  };
  for await (const chunk of chunks(path)) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      const length = pendingBytes + piece.length;
      const bytes = length > MAX_RECORD_BYTES ? null : pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      const r = finish(bytes, length);
      if (r) yield r;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    pendingBytes += rest.length;
    // a line already over the limit is only counted from here on, not kept
    pending = pendingBytes > MAX_RECORD_BYTES ? [] : [...pending, Buffer.from(rest)];
  }
  if (pendingBytes > 0) {
    const r = finish(pendingBytes > MAX_RECORD_BYTES ? null : Buffer.concat(pending), pendingBytes);
    if (r) yield r;
  }
}

/** The records of a JSON or NDJSON file, in order. */
export function jsonRecords(path: string, format: JsonFormat, recordPath: string, label: string): AsyncGenerator<JsonRecord> {
  return format === 'json' ? documentRecords(path, recordPath, label) : lineRecords(path, label);
}
