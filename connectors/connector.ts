// What every connector provides to the loader (pipelines/ingest/load.ts): fingerprint a landed file (hash, size,
// encoding, stat stamp), start scanning it ahead of the single writer, and write one scanned file as one batch
// inside the writer's transaction. connectors/registry.ts maps each `connector` of the sources config to one.
import type { Logger } from '../lib/log.ts';
import type { FeedSpec } from '../schemas/fields.ts';
import type { SourceConfig } from '../schemas/sources-config.ts';
import type { Warehouse } from '../warehouse/db.ts';
import type { BatchCounts } from './csv/batch.ts';
import type { Fingerprint } from './csv/fingerprint.ts';

export type { BatchCounts, Fingerprint };

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
