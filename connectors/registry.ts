// The connector registry: how `load` reads a source is chosen by its `connector` in the sources config, and each
// connector plugs in here with the same three capabilities. The loader (pipelines/ingest/load.ts) knows only this
// interface: fingerprint a landed file (hash, size, encoding, stat stamp), start scanning it ahead of the single
// writer (validated parts on local disk), and write one scanned file as one batch inside the writer's transaction.
import { type CONNECTORS, xlsxOptionsSchema } from '../schemas/sources-config.ts';
import type { Connector, ScanInput, Scanned } from './connector.ts';
import { loadCsvBatch, type ScannedCsv, scanCsv } from './csv/batch.ts';
import { fingerprint } from './csv/fingerprint.ts';
import { scanJson } from './json/batch.ts';
import { scanParquet } from './parquet/batch.ts';
import { pointRejectsAtCells, scanXlsx } from './xlsx/batch.ts';

export type { BatchCounts, Connector, Fingerprint, ScanInput, Scanned } from './connector.ts';
export type ConnectorName = (typeof CONNECTORS)[number];

type CsvScanned = ScannedCsv & Scanned;

const csv: Connector<CsvScanned> = {
  fingerprint: (path, source, tee) => fingerprint(path, source.encoding, tee),
  scan: (o) => {
    const encoding = o.fingerprint.encoding === 'utf-8-bom' ? 'utf-8' : o.fingerprint.encoding;
    // the scan re-hashes the bytes it reads: a file that changed since its fingerprint fails instead of loading a mix
    const s = scanCsv({ ...o, encoding, expect: { ...o.fingerprint.stamp, sha256: o.fingerprint.sha256 } });
    return { ...s, close: () => s.parts.close() };
  },
  load: (wh, scanned, batchId, onRecords) => loadCsvBatch(wh, scanned, batchId, onRecords),
};

/**
 * A connector that turns its files into the shared part files (records already split into fields), hashed as
 * bytes: JSON and NDJSON (UTF-8 by definition, RFC 8259, so the fingerprint never guesses GBK), Parquet.
 */
const viaParts = (scan: (o: ScanInput) => ScannedCsv): Connector<CsvScanned> => ({
  fingerprint: (path, _source, tee) => fingerprint(path, 'utf-8', tee),
  scan: (o) => {
    const s = scan(o);
    return { ...s, close: () => s.parts.close() };
  },
  load: (wh, scanned, batchId, onRecords) => loadCsvBatch(wh, scanned, batchId, onRecords),
});

const REGISTRY: { [K in ConnectorName]: Connector<CsvScanned> } = {
  csv,
  xlsx: {
    ...viaParts((o) => scanXlsx(o, xlsxOptionsSchema.parse(o.source.xlsx ?? {}))),
    load: async (wh, scanned, batchId, onRecords) => {
      const counts = await loadCsvBatch(wh, scanned, batchId, onRecords);
      const h = scanned.header();
      const sheet = scanned.sheet?.();
      if (counts.rowsRejected && h && sheet) await pointRejectsAtCells(wh, batchId, sheet, h.mapping.columnOfField);
      return counts;
    },
  },
  json: viaParts((o) => scanJson(o, 'json', o.source.json?.record_path ?? '')),
  ndjson: viaParts((o) => scanJson(o, 'ndjson', '')),
  parquet: viaParts(scanParquet),
};

/** The connector a source names (the config schema admits only registered names). */
export function connectorFor(name: ConnectorName): Connector {
  return REGISTRY[name] as unknown as Connector;
}
