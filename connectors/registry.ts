// The connector registry: how `load` reads a source is chosen by its `connector` in the sources config, and each
// connector plugs in here with the same three capabilities. The loader (pipelines/ingest/load.ts) knows only this
// interface: fingerprint a landed file (hash, size, encoding, stat stamp), start scanning it ahead of the single
// writer (validated parts on local disk), and write one scanned file as one batch inside the writer's transaction.
import type { Logger } from '../lib/log.ts';
import type { FeedSpec } from '../schemas/fields.ts';
import type { CONNECTORS, SourceConfig } from '../schemas/sources-config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { type BatchCounts, loadCsvBatch, type ScannedCsv, scanCsv } from './csv/batch.ts';
import { type Fingerprint, fingerprint } from './csv/fingerprint.ts';

export type { BatchCounts, Fingerprint };
export type ConnectorName = (typeof CONNECTORS)[number];

export interface ScanInput {
  source: SourceConfig;
  feed: FeedSpec;
  /** The file on disk, and its name in messages (its location under the landing folder). */
  path: string;
  label: string;
  fingerprint: Fingerprint;
  /** A scratch folder of this file's own, removed by the loader afterwards. */
  tmpDir: string;
  partRecords: number;
  log: Logger;
}

/** A file being scanned ahead of the writer. */
export interface Scanned {
  close(): Promise<void>;
}

export interface Connector<S extends Scanned = Scanned> {
  /** `tee` gets the file's bytes as they are hashed (for the archive). */
  fingerprint(path: string, source: SourceConfig, tee?: (chunk: Buffer) => Promise<void>): Promise<Fingerprint>;
  scan(o: ScanInput): S;
  /** Write the scanned file as batch `batchId` (the caller holds the transaction); counts of its records. */
  load(wh: Warehouse, scanned: S, batchId: number, onRecords?: (n: number) => void): Promise<BatchCounts>;
}

type CsvScanned = ScannedCsv & Scanned;

const csv: Connector<CsvScanned> = {
  fingerprint: (path, source, tee) => fingerprint(path, source.encoding, tee),
  scan: (o) => {
    const encoding = o.fingerprint.encoding === 'utf-8-bom' ? 'utf-8' : o.fingerprint.encoding;
    const s = scanCsv({ ...o, encoding, expect: o.fingerprint.stamp });
    return { ...s, close: () => s.parts.close() };
  },
  load: (wh, scanned, batchId, onRecords) => loadCsvBatch(wh, scanned, batchId, onRecords),
};

const REGISTRY: { [K in ConnectorName]: Connector<CsvScanned> } = { csv };

/** The connector a source names (the config schema admits only registered names). */
export function connectorFor(name: ConnectorName): Connector {
  return REGISTRY[name] as unknown as Connector;
}
