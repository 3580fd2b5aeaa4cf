// Scans a Parquet file through DuckDB: an in-memory instance of its own (never the writer's connection, so a
// damaged file fails only itself, outside the batch transaction) reads the schema, and copies the rows, every
// value as text in file order, into one part file of the shared validation path. A record's position is its row
// number in the file (1-based), kept as `_source_line`.
import { join } from 'node:path';
import { errorMessage, FileRejectedError } from '../../lib/errors.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { ident, literal } from '../../warehouse/sql.ts';
import type { ScanInput } from '../connector.ts';
import type { ScannedCsv } from '../csv/batch.ts';
import type { CsvPart } from '../csv/prepare.ts';
import { type MapNames, scannedParts } from '../records/scanned.ts';

/** A column's value as text: dates as YYYY-MM-DD, timestamps at midnight as their date, everything else cast. */
function asText(name: string, type: string): string {
  const c = ident(name);
  if (type.startsWith('TIMESTAMP')) return `case when ${c}::time = '00:00:00' then strftime(${c}, '%Y-%m-%d') else ${c}::varchar end`;
  if (type === 'DATE') return `strftime(${c}, '%Y-%m-%d')`;
  return `${c}::varchar`;
}

async function* parquetParts(o: ScanInput, mapNames: MapNames): AsyncGenerator<CsvPart> {
  const db = await Warehouse.open(':memory:', { threads: 1 });
  try {
    const file = `read_parquet(${literal(o.path)}, file_row_number = true)`;
    let columns: { name: string; type: string }[];
    let records: number;
    try {
      columns = (await db.all(`select column_name as name, column_type as type from (describe select * from ${file})`))
        .map((r) => ({ name: String(r.name), type: String(r.type) }))
        .filter((c) => c.name !== 'file_row_number');
      records = await db.scalarNumber(`select count(*) from ${file}`);
    } catch (err) {
      throw new FileRejectedError('not-parquet', `${o.label}: not a readable Parquet file: ${errorMessage(err).split('\n')[0]}`);
    }
    const names = columns.map((c) => c.name);
    mapNames(names, "the file's columns");
    const path = join(o.tmpDir, 'part-1.csv');
    const select = `select file_row_number + 1, file_row_number + 1${columns.map((c) => `, ${asText(c.name, c.type)}`).join('')} from ${file}`;
    try {
      await db.run(`copy (${select} order by file_row_number) to ${literal(path)} (format csv, header false, quote '"', escape '"')`);
    } catch (err) {
      throw new FileRejectedError('not-parquet', `${o.label}: a damaged Parquet file: ${errorMessage(err).split('\n')[0]}`);
    }
    if (records > 0) yield { path, columns: names.length, records, rejects: [], padded: true };
  } finally {
    db.close();
  }
}

/** Starts scanning a Parquet file ahead of the writer. */
export function scanParquet(o: ScanInput): ScannedCsv {
  return scannedParts(o, (mapNames) => parquetParts(o, mapNames), { ahead: 1 });
}
