// Loads one CSV file as one batch in one transaction: raw rows, rejects and the ledger row commit together
// or not at all. Validation and conversion run in DuckDB over the connector's part files.
import { rm } from 'node:fs/promises';
import { FileRejectedError, JianguanError } from '../../lib/errors.ts';
import type { StatStamp } from '../../lib/file-stamp.ts';
import type { Logger } from '../../lib/log.ts';
import { prefetch } from '../../lib/prefetch.ts';
import type { FeedSpec } from '../../schemas/fields.ts';
import { type HeaderMapping, mapHeader } from '../../schemas/header-map.ts';
import type { SourceConfig } from '../../schemas/sources-config.ts';
import { validationSql } from '../../schemas/to-sql.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { ident, literal } from '../../warehouse/sql.ts';
import { type CsvPart, type LineReject, MAX_RECORD_BYTES, readCsvParts } from './prepare.ts';

export interface BatchCounts {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsWarned: number;
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
      const field = r.column === undefined ? null : fieldOf(r.column);
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

/** Writes a scanned file as batch `batchId`. Runs inside the caller's transaction; throws FileRejectedError for unreadable files. */
export async function loadCsvBatch(
  wh: Warehouse,
  scanned: ScannedCsv,
  batchId: number,
  onProgress?: (records: number) => void,
): Promise<BatchCounts> {
  const o = scanned.input;
  const log = o.log.child({ batch: batchId });
  const counts: BatchCounts = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsWarned: 0 };
  let cleanup: string[] = [];
  for await (const part of scanned.parts) {
    const h = scanned.header();
    if (!h) throw new JianguanError('internal-error', 'header mapping missing after the first part');
    const fieldOf = (column: number) => [...h.mapping.columnOfField].find(([, i]) => i === column)?.[0] ?? null;
    await insertLineRejects(wh, batchId, part.rejects, fieldOf);
    counts.rowsRead += part.records + part.rejects.length;
    counts.rowsRejected += part.rejects.length;
    if (part.records > 0) {
      const { names, mapping } = h;
      const columnOfField = new Map([...mapping.columnOfField].map(([f, i]) => [f, `c${i + 1}`]));
      const rawJson = `json_object(${names.map((n, i) => `${literal(n)}, c${i + 1}`).join(', ')})::varchar`;
      const sql = validationSql(
        o.feed,
        { columnOfField, constants: o.source.constants, values: o.source.values, dateFormats: o.source.date_formats, trim: part.padded },
        readCsvSql(part, o.source.delimiter, o.source.quote),
        rawJson,
        (f) => {
          const i = mapping.columnOfField.get(f);
          return i === undefined ? undefined : names[i];
        },
      );
      const t0 = performance.now();
      const loaded = await wh.runCounted(sql.insertRaw(String(batchId)));
      const t1 = performance.now();
      let bad = 0;
      if (loaded !== part.records) {
        // the records the insert left out, with the first check each failed; together they must be the whole part
        await wh.run(sql.findBad);
        bad = await wh.scalarNumber('select count(*) from _jg_bad');
        if (loaded + bad !== part.records) {
          throw new JianguanError('record-count-mismatch', `${o.label}: a part of ${part.records} records gave ${loaded} loaded + ${bad} rejected`);
        }
        await wh.run(sql.insertRejects(String(batchId)));
      }
      // _jg_bad is replaced by the next part that has rejects, and dropped at the end of the batch.
      cleanup = sql.cleanup;
      log.debug(
        { records: part.records, rejected: bad, insert_ms: Math.round(t1 - t0), rejects_ms: Math.round(performance.now() - t1) },
        'part loaded',
      );
      counts.rowsLoaded += loaded;
      counts.rowsRejected += bad;
    }
    // Parts may live in memory (tmpfs): each goes as soon as DuckDB has read it.
    if (part.path) await rm(part.path, { force: true });
    onProgress?.(part.records + part.rejects.length);
  }
  for (const st of cleanup) await wh.run(st);
  counts.rowsWarned = await wh.scalarNumber(`select count(*) from raw.${ident(o.feed.name)} where _batch_id = ? and _warnings is not null`, [
    batchId,
  ]);
  if (counts.rowsRead !== counts.rowsLoaded + counts.rowsRejected) {
    throw new JianguanError('count-mismatch', `${o.label}: read ${counts.rowsRead} ≠ loaded ${counts.rowsLoaded} + rejected ${counts.rowsRejected}`);
  }
  return counts;
}
