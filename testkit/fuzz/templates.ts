// Templates of the other connectors, derived from the CSV templates (their records parsed by csv-parse): a JSON
// document in an envelope (`data.list`, pretty-printed), NDJSON, an xlsx workbook (a title row above the header,
// date cells) and Parquet (written by DuckDB). Each with its source entry: the connector, its options, its extension.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Warehouse } from '../../warehouse/db.ts';
import { ident, literal } from '../../warehouse/sql.ts';
import { textOf } from './csv-text.ts';
import { jsonDocument, recordObjects } from './json-text.ts';
import type { ConnectorKind, SourceEntry, Table, Template } from './types.ts';

export const EXTENSION: Record<ConnectorKind, string> = { csv: 'csv', json: 'json', ndjson: 'ndjson', xlsx: 'xlsx', parquet: 'parquet' };
/** The data sheet of the fuzz workbooks (after a sheet of notes), its title row and the header below it. */
export const XLSX_SHEET = '数据';
export const XLSX_OPTIONS = { sheet: XLSX_SHEET, header_row: 2 };

/** The CSV template's header and records (rows as csv-parse reads them). */
export function tableOf(t: Template): Table {
  const rows = parse(textOf(t), {
    delimiter: (t.source.delimiter as string | undefined) ?? ',',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  }) as string[][];
  const [header = [], ...data] = rows;
  return { header, rows: data };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A cell value: a real date cell for a valid YYYY-MM-DD (an impossible date stays text), else the text. */
export function cellValue(v: string): string | Date {
  if (!ISO_DAY.test(v)) return v;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? d : v;
}

/** A workbook: a notes sheet, then the data sheet with a title row and the header (`rows` may be changed cells). */
export async function workbookBytes(header: unknown[], rows: unknown[][], o: { sheet?: string; title?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['本表由系统导出']);
  const ws = wb.addWorksheet(o.sheet ?? XLSX_SHEET);
  if (o.title ?? true) ws.addRow(['河北省监管数据导出表']);
  if (header.length) ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Parquet bytes of `header` × `rows` (VARCHAR columns unless `types` says otherwise), written by DuckDB. */
export async function parquetBytes(dir: string, header: string[], rows: (string | null)[][], types: string[] = []): Promise<Buffer> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `t-${process.pid}-${Math.random().toString(36).slice(2)}.parquet`);
  const db = await Warehouse.open(':memory:', { threads: 1 });
  try {
    const cols = header.map((h, i) => `${ident(h || `col${i + 1}`)} ${types[i] ?? 'VARCHAR'}`);
    await db.run(`create table t (${cols.join(', ')})`);
    const val = (v: string | null | undefined, i: number) =>
      v === null || v === undefined ? 'null' : `try_cast(${literal(v)} as ${types[i] ?? 'VARCHAR'})`;
    for (let k = 0; k < rows.length; k += 200) {
      const chunk = rows.slice(k, k + 200).map((r) => `(${header.map((_, i) => val(r[i], i)).join(', ')})`);
      await db.run(`insert into t values ${chunk.join(', ')}`);
    }
    await db.run(`copy t to ${literal(path)} (format parquet)`);
    return readFileSync(path);
  } finally {
    db.close();
    rmSync(path, { force: true });
  }
}

/** The template of `connector` made from the CSV template `t`. */
export async function deriveTemplate(t: Template, connector: ConnectorKind, scratch: string): Promise<Template> {
  if (connector === 'csv') return t;
  const table = tableOf(t);
  const { encoding: _e, ...rest } = t.source;
  const id = `${t.source.id}.${connector}`;
  const source: SourceEntry = { ...rest, id, connector, path: `${id}/*.${EXTENSION[connector]}` };
  let bytes: Buffer;
  if (connector === 'json') {
    source.json = { record_path: 'data.list' };
    bytes = jsonDocument(
      'json',
      recordObjects(table).map((o) => JSON.stringify(o, null, 2)),
    );
  } else if (connector === 'ndjson')
    bytes = jsonDocument(
      'ndjson',
      recordObjects(table).map((o) => JSON.stringify(o)),
    );
  else if (connector === 'xlsx') {
    source.xlsx = XLSX_OPTIONS;
    bytes = await workbookBytes(
      table.header,
      table.rows.map((r) => r.map(cellValue)),
    );
  } else bytes = await parquetBytes(scratch, table.header, table.rows);
  const rel = t.rel.replace(/\.csv$/, `.${EXTENSION[connector]}`);
  return { rel, source, bytes, encoding: 'utf-8', bom: false, records: table.rows.length, connector, table };
}

/** Every CSV template as a template of `connector`. */
export async function templatesFor(connector: ConnectorKind, csv: Template[], scratch: string): Promise<Template[]> {
  const out: Template[] = [];
  for (const t of csv) out.push(await deriveTemplate(t, connector, scratch));
  return out;
}
