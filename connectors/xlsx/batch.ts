// Scans an Excel workbook (.xlsx) with exceljs's streaming reader: one sheet (by name or 1-based position), rows
// above `header_row` skipped (a title row), one header row or two (a grouped header, joined), every later row a
// record whose position is its Excel row number. The workbook is never held in memory: rows stream into the
// shared part files (connectors/records/part-sink.ts) as they are read.
import type { z } from 'zod';
import { errorMessage, FileRejectedError } from '../../lib/errors.ts';
import type { xlsxOptionsSchema } from '../../schemas/sources-config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { literal } from '../../warehouse/sql.ts';
import type { ScanInput } from '../connector.ts';
import type { ScannedCsv } from '../csv/batch.ts';
import type { CsvPart } from '../csv/prepare.ts';
import { PartSink } from '../records/part-sink.ts';
import { type MapNames, scannedParts } from '../records/scanned.ts';
import { cellText, columnLetters, joinHeaderRows } from './cells.ts';
import { openWorkbookReader } from './reader.ts';

export type XlsxOptions = z.infer<typeof xlsxOptionsSchema>;

type Row = { number: number; values: unknown };

/** The cells of a row as texts, 0-based (exceljs numbers columns from 1). */
function rowTexts(row: Row): (string | null)[] {
  const values = Array.isArray(row.values) ? row.values : [];
  const out: (string | null)[] = [];
  for (let c = 1; c < values.length; c++) out.push(cellText(values[c]));
  return out;
}

/** The worksheet the source asks for, or why there is none; rows of other sheets are passed over unread. */
async function* sheetRows(o: ScanInput, x: XlsxOptions, onSheet: (name: string) => void): AsyncGenerator<Row> {
  const { reader, guard, close } = openWorkbookReader(o.path);
  const names: string[] = [];
  let found = false;
  try {
    for await (const ws of guard(reader as AsyncIterable<{ name: string } & AsyncIterable<Row>>)) {
      names.push(ws.name);
      const order = ((reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets ?? []).map((s) => s.name);
      const wanted = typeof x.sheet === 'number' ? order[x.sheet - 1] : x.sheet;
      if (found || ws.name !== wanted) continue;
      found = true;
      onSheet(ws.name);
      for await (const row of guard(ws)) yield row;
    }
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('not-xlsx', `${o.label}: not a readable Excel workbook (.xlsx): ${errorMessage(err).split('\n')[0]}`);
  } finally {
    close();
  }
  if (!found) {
    throw new FileRejectedError(
      'xlsx-sheet-missing',
      `${o.label}: no sheet ${typeof x.sheet === 'number' ? `number ${x.sheet}` : `"${x.sheet}"`}; the workbook has: ${names.join(', ') || 'no sheets'}`,
    );
  }
}

async function* xlsxParts(o: ScanInput, x: XlsxOptions, mapNames: MapNames, onSheet: (name: string) => void): AsyncGenerator<CsvPart> {
  let header: string[] | null = null;
  let upper: (string | null)[] | null = null;
  let sink: PartSink | null = null;
  let recordNo = 0;
  try {
    for await (const row of sheetRows(o, x, onSheet)) {
      if (row.number < x.header_row - (x.header_rows - 1)) continue;
      const cells = rowTexts(row);
      if (header === null) {
        if (row.number < x.header_row) {
          upper = cells; // the upper row of a two-row header
          continue;
        }
        header = upper ? joinHeaderRows(upper, cells) : cells.map((c) => c?.trim() ?? '');
        while (header.length > 1 && header[header.length - 1] === '') header.pop();
        mapNames(header, `header row ${x.header_row}`);
        sink = new PartSink(o.tmpDir, o.partRecords, header.length);
        continue;
      }
      if (cells.every((c) => c === null || c.trim() === '')) continue; // an empty row is no record
      recordNo++;
      const part = sink!.add(recordNo, row.number, cells.slice(0, header.length), header);
      if (part) yield part;
    }
    if (header === null) throw new FileRejectedError('empty-file', `${o.label}: the sheet has no header row (row ${x.header_row})`);
    const last = sink!.finish();
    if (last) yield last;
  } finally {
    sink?.abort();
  }
}

/** Starts scanning a workbook ahead of the writer. */
export function scanXlsx(o: ScanInput, x: XlsxOptions): ScannedCsv {
  let sheet: string | null = null;
  const parts = (mapNames: MapNames) =>
    xlsxParts(o, x, mapNames, (name) => {
      sheet = name;
    });
  return scannedParts(o, parts, { sheet: () => sheet });
}

/**
 * Rejects of a workbook point at their cell: the message of each ends with `（Sheet1!C12）`, the column of the
 * field it names (the row alone, `Sheet1!12`, when it names none). Runs in the batch's transaction.
 */
export async function pointRejectsAtCells(wh: Warehouse, batchId: number, sheet: string, columnOfField: Map<string, number>): Promise<void> {
  const letters = [...columnOfField].map(([f, i]) => `when ${literal(f)} then ${literal(columnLetters(i + 1))}`).join(' ');
  const column = letters ? `coalesce(case field ${letters} end, '')` : `''`;
  await wh.run(`update meta.rejects set message = message || '（' || ? || '!' || ${column} || source_line || '）' where batch_id = ?`, [
    sheet,
    batchId,
  ]);
}
