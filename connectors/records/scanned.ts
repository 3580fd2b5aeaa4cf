// A file a connector splits into records itself (JSON, NDJSON, xlsx, Parquet), handed to the shared validation
// path (connectors/csv/batch.ts) as a scanned file: its part files (written by PartSink or DuckDB: comma-separated,
// double-quoted, UTF-8) and its header, mapped to the feed's fields when the connector has read it.
import { FileRejectedError } from '../../lib/errors.ts';
import { prefetch } from '../../lib/prefetch.ts';
import { type HeaderMapping, mapHeader } from '../../schemas/header-map.ts';
import type { ScanInput } from '../connector.ts';
import type { ScannedCsv } from '../csv/batch.ts';
import type { CsvPart } from '../csv/prepare.ts';

/**
 * Maps a header: the connector's `names` (columns, keys) to fields, or fails the file naming `where` the header is.
 * No names at all (a file without records) maps to nothing.
 */
export type MapNames = (names: string[], where: string) => HeaderMapping;

export function scannedParts(
  o: ScanInput,
  parts: (mapNames: MapNames) => AsyncIterable<CsvPart>,
  extra: { ahead?: number; sheet?: () => string | null } = {},
): ScannedCsv {
  let header: ReturnType<ScannedCsv['header']> = null;
  const mapNames: MapNames = (names, where) => {
    if (!names.length) return { fieldOfColumn: [], columnOfField: new Map(), ignored: [] };
    const r = mapHeader(o.feed, names, o.source);
    if (!r.ok) throw new FileRejectedError(r.reason, `${o.label}: ${where}: ${r.message}`);
    if (r.mapping.ignored.length) o.log.warn({ file: o.label, columns: r.mapping.ignored }, 'columns that map to no field are ignored');
    header = { names, mapping: r.mapping };
    return r.mapping;
  };
  const input = { ...o, source: { ...o.source, delimiter: ',', quote: '"' }, encoding: 'utf-8' as const };
  return { input, parts: prefetch(parts(mapNames), extra.ahead ?? 2), header: () => header, ...(extra.sheet ? { sheet: extra.sheet } : {}) };
}
