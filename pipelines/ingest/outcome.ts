// What a load reports: each file's outcome, the run's totals, the archive's work.
import type { RunTotals } from '../audit/ledger.ts';
import type { ArchiveSummary } from './archive-step.ts';
import type { Planned } from './plan.ts';

export interface FileOutcome {
  sourceId: string;
  location: string;
  status: 'loaded' | 'skipped' | 'failed' | 'unchanged';
  batchId: number | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  errorCode: string | null;
  error: string | null;
}

export interface LoadResult {
  runId: number;
  files: FileOutcome[];
  /** Enabled sources whose `path` matched no file under the landing dir (a warning: a feed that went silent). */
  emptySources: { sourceId: string; path: string }[];
  totals: RunTotals;
  /** What the archive of loaded files did: its folder (null: off), entries written, entries pruned by retention. */
  archive: ArchiveSummary;
  exitCode: 0 | 3;
}

/** A file's outcome with no rows loaded (all but a loaded batch). */
export function outcome(
  p: Planned,
  status: FileOutcome['status'],
  batchId: number | null,
  errorCode: string | null = null,
  error: string | null = null,
): FileOutcome {
  return { sourceId: p.source.id, location: p.location, status, batchId, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, errorCode, error };
}

export function emptyTotals(): RunTotals {
  return { filesSeen: 0, batchesLoaded: 0, batchesSkipped: 0, batchesFailed: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
}
