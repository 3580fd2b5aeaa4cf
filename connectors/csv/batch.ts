// Loads one CSV file as one batch in one transaction: raw rows, rejects and the ledger row commit together
// or not at all. Validation and conversion run in DuckDB over the connector's part files.
import { rm } from 'node:fs/promises';
import { FileRejectedError, JianguanError } from '../../lib/errors.ts';
import type { StatStamp } from '../../lib/file-stamp.ts';
import type { Logger } from '../../lib/log.ts';
import { prefetch } from '../../lib/prefetch.ts';
import type { FeedSpec } from '../../schemas/fields.ts';
import { type HeaderMapping, mapHeader } from '../../schemas/header-map.ts';
import { batchDigestSql, hmacKeyFromEnv, hmacParams, loadAlgorithm, type RowHashAlg } from '../../schemas/row-hash.ts';
import type { SourceConfig } from '../../schemas/sources-config.ts';
import { validationSql } from '../../schemas/to-sql.ts';
import { col } from '../../warehouse/columns.ts';
import type { Params, Warehouse } from '../../warehouse/db.ts';
import { ident, literal } from '../../warehouse/sql.ts';
import { type CsvPart, type LineReject, MAX_RECORD_BYTES, readCsvParts } from './prepare.ts';
import { failIfColumnEmpty } from './whole-file.ts';

export interface BatchCounts {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsWarned: number;
  /** The algorithm of the batch's row hashes and the digest of its rows (schemas/row-hash.ts). */
  rowHashAlg: RowHashAlg;
  rowDigest: string;
}

export interface CsvScanInput {
  source: SourceConfig;
  feed: FeedSpec;
  path: string;
  label: string;
  encoding: 'utf-8' | 'gbk' | 'gb18030';
  tmpDir: string;
  partRecords: number;
  log: Logger;
  expect?: StatStamp & { sha256?: string };
}

/** A file being scanned ahead of the writer: its parts, and its header once read. */
export interface ScannedCsv {
  input: CsvScanInput;
  parts: AsyncIterable<CsvPart> & { close(): Promise<void> };
  header: () => { names: string[]; mapping: HeaderMapping } | null;
  /** Workbooks: the name of the sheet read, once known (rejects point at its cells). */
  sheet?: () => string | null;
}

/** Starts scanning a file at once (up to `ahead` parts), so it overlaps with DuckDB writing other batches. */
export function scanCsv(o: CsvScanInput, ahead = 2): ScannedCsv {
  let header: { names: string[]; mapping: HeaderMapping } | null = null;
  const parts = readCsvParts({
    path: o.path,
    label: o.label,
    encoding: o.encoding,
    delimiter: o.source.delimiter,
    quote: o.source.quote,
    headerRow: o.source.header_row,
    tmpDir: o.tmpDir,
    partRecords: o.partRecords,
    ...(o.expect ? { expect: o.expect } : {}),
    onHeader: (h) => {
      const r = mapHeader(o.feed, h, o.source);
      if (!r.ok) throw new FileRejectedError(r.reason, `${o.label}: line ${o.source.header_row}: ${r.message}`);
      if (r.mapping.ignored.length) o.log.warn({ file: o.label, columns: r.mapping.ignored }, 'columns that map to no field are ignored');
      header = { names: h, mapping: r.mapping };
    },
  });
  return { input: o, parts: prefetch(parts, ahead), header: () => header };
}

function readCsvSql(part: CsvPart, delimiter: string, quote: string): string {
  const cols = [`'_record_no': 'BIGINT'`, `'_source_line': 'BIGINT'`];
  for (let i = 1; i <= part.columns; i++) cols.push(`'c${i}': 'VARCHAR'`);
  return `read_csv(${literal(part.path)}, header = false, auto_detect = false, delim = ${literal(delimiter)},
    quote = ${literal(quote)}, escape = ${literal(quote)}, new_line = '\\n', strict_mode = true, null_padding = false,
    max_line_size = ${MAX_RECORD_BYTES * 2}, buffer_size = ${MAX_RECORD_BYTES * 8}, columns = {${cols.join(', ')}})`;
}

/** `fieldOf` names the canonical field of a reject's column (control-character), null when none maps to it. */
async function insertLineRejects(wh: Warehouse, batchId: number, rejects: LineReject[], fieldOf: (column: number) => string | null): Promise<void> {
  if (!rejects.length) return;
  const app = await wh.createAppender('meta', 'rejects');
  try {
    for (const r of rejects) {
      app.appendBigInt(BigInt(batchId));
      app.appendBigInt(BigInt(r.recordNo));
      app.appendBigInt(BigInt(r.line));
      app.appendVarchar(r.reason);
      const field = r.field ?? (r.column === undefined ? null : fieldOf(r.column));
      if (field === null) app.appendNull();
      else app.appendVarchar(field);
      app.appendVarchar(r.message);
      app.appendVarchar(r.raw);
      app.endRow();
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
}

/** What a set of records is validated against: the feed, the source's mapping and its file's header. */
export interface RecordContext {
  feed: FeedSpec;
  source: SourceConfig;
  label: string;
  log: Logger;
  names: string[];
  mapping: HeaderMapping;
  /** How raw rows are hashed (schemas/row-hash.ts), and the HMAC key's parameters when keyed. */
  alg: RowHashAlg;
  hashParams: Params | undefined;
}

/**
 * Validates and inserts records read by `from` (a DuckDB table expression with columns _record_no, _source_line,
 * c1 … cn in header order) as rows of batch `batchId`, and the records that fail as rejects with their first
 * failed check. Returns the counts and the statements that drop its scratch tables at the end of the batch.
 */
export async function loadRecords(
  wh: Warehouse,
  c: RecordContext,
  batchId: number,
  input: { from: string; records: number; trim: boolean },
): Promise<{ loaded: number; rejected: number; cleanup: string[] }> {
  const { names, mapping } = c;
  const columnOfField = new Map([...mapping.columnOfField].map(([f, i]) => [f, `c${i + 1}`]));
  const rawJson = `json_object(${names.map((n, i) => `${literal(n)}, c${i + 1}`).join(', ')})::varchar`;
  const sql = validationSql(
    c.feed,
    { columnOfField, constants: c.source.constants, values: c.source.values, dateFormats: c.source.date_formats, trim: input.trim },
    input.from,
    rawJson,
    (f) => {
      const i = mapping.columnOfField.get(f);
      return i === undefined ? undefined : names[i];
    },
    c.alg,
  );
  const t0 = performance.now();
  const loaded = await wh.runCounted(sql.insertRaw(String(batchId)), c.hashParams);
  const t1 = performance.now();
  let bad = 0;
  if (loaded !== input.records) {
    // the records the insert left out, with the first check each failed; together they must be the whole input
    await wh.run(sql.findBad);
    bad = await wh.scalarNumber('select count(*) from _jg_bad');
    if (loaded + bad !== input.records) {
      throw new JianguanError('record-count-mismatch', `${c.label}: ${input.records} records gave ${loaded} loaded + ${bad} rejected`);
    }
    await wh.run(sql.insertRejects(String(batchId)));
  }
  c.log.debug(
    { records: input.records, rejected: bad, insert_ms: Math.round(t1 - t0), rejects_ms: Math.round(performance.now() - t1) },
    'part loaded',
  );
  // _jg_bad is replaced by the next part that has rejects, and dropped at the end of the batch.
  return { loaded, rejected: bad, cleanup: sql.cleanup };
}

/** Writes a scanned file as batch `batchId`. Runs inside the caller's transaction; throws FileRejectedError for unreadable files. */
export async function loadCsvBatch(
  wh: Warehouse,
  scanned: ScannedCsv,
  batchId: number,
  onProgress?: (records: number) => void,
): Promise<BatchCounts> {
  const o = scanned.input;
  const log = o.log.child({ batch: batchId });
  // the key is read from the environment at each batch and only ever bound as a parameter, never stored or logged
  const key = hmacKeyFromEnv();
  const alg = loadAlgorithm(key);
  const hashParams = key ? hmacParams(key) : undefined;
  const counts: BatchCounts = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsWarned: 0, rowHashAlg: alg, rowDigest: '' };
  let cleanup: string[] = [];
  for await (const part of scanned.parts) {
    const h = scanned.header();
    if (!h) throw new JianguanError('internal-error', 'header mapping missing after the first part');
    const fieldOf = (column: number) => [...h.mapping.columnOfField].find(([, i]) => i === column)?.[0] ?? null;
    await insertLineRejects(wh, batchId, part.rejects, fieldOf);
    counts.rowsRead += part.records + part.rejects.length;
    counts.rowsRejected += part.rejects.length;
    if (part.records > 0) {
      const r = await loadRecords(wh, { ...h, feed: o.feed, source: o.source, label: o.label, log, alg, hashParams }, batchId, {
        from: readCsvSql(part, o.source.delimiter, o.source.quote),
        records: part.records,
        trim: part.padded,
      });
      cleanup = r.cleanup;
      counts.rowsLoaded += r.loaded;
      counts.rowsRejected += r.rejected;
    }
    // Parts may live in memory (tmpfs): each goes as soon as DuckDB has read it.
    if (part.path) await rm(part.path, { force: true });
    onProgress?.(part.records + part.rejects.length);
  }
  for (const st of cleanup) await wh.run(st);
  counts.rowDigest = await wh.scalar(batchDigestSql(`raw.${ident(o.feed.name)}`), [batchId], col.text());
  counts.rowsWarned = await wh.scalarNumber(`select count(*) from raw.${ident(o.feed.name)} where _batch_id = ? and _warnings is not null`, [
    batchId,
  ]);
  const h = scanned.header();
  if (h) await failIfColumnEmpty(wh, batchId, o, h, counts);
  if (counts.rowsRead !== counts.rowsLoaded + counts.rowsRejected) {
    throw new JianguanError('count-mismatch', `${o.label}: read ${counts.rowsRead} ≠ loaded ${counts.rowsLoaded} + rejected ${counts.rowsRejected}`);
  }
  return counts;
}
