// The shapes of a lineage tree, apart from the code that builds it (walk.ts and source.ts use them too).
import type { Row } from '../../warehouse/db.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FileState } from '../catalog/files.ts';

/** Where a raw row came from: the ledger entry of its batch, the run that loaded it, and the file as it is now. */
export interface SourceRef {
  feed: string;
  source_id: string;
  level: string;
  region_code: string;
  department: string;
  location: string;
  /** Absolute path (landing dir + location) when the sources config is known. */
  path: string | null;
  line: number;
  record_no: number;
  batch_id: number;
  run_id: number;
  run_started_at: string | null;
  loaded_at: string;
  code_version: string | null;
  sha256: string;
  bytes: number;
  /** The file now: ok, missing, altered (hash differs), superseded (replaced by a later loaded version), … */
  file: FileState;
  file_sha256_now: string | null;
  superseded_by: number | null;
  /** `rehash`, or `stamp` when a hash recorded by `verify` was reused because the file's stat is unchanged. */
  checked_by: 'rehash' | 'stamp' | 'none';
  /** The source line's text as loaded: from the landing file while unchanged, else from the archive; null when neither has it. */
  text: string | null;
  text_from: 'landing' | 'archive' | null;
  /** Why there is no text. */
  text_missing: string | null;
}

export interface LineageNode {
  /** `row`: a table row; `group`: a struct inside a row (a factor); `missing`: a reference to nothing; `repeat`: expanded where it first appears. */
  kind: 'row' | 'group' | 'missing' | 'repeat';
  table: string | null;
  key: Record<string, string | number | null>;
  /** The reference that led here from the parent: `lineage`, `evidence`, `factors`, `key`, `members`, `children`. */
  via: string | null;
  /** The reference's own fields (a factor's points, a conflicting value), when it has any. */
  note: Record<string, unknown> | null;
  /** This raw row is the version that won the cross-level merge. */
  won: boolean;
  /** The row's columns, without the raw-reference lists (they are the children). */
  row: Row | null;
  source: SourceRef | null;
  children: LineageNode[];
  /** References not followed because of the per-reference limit or the node budget. */
  more: number;
}

export interface LineageOptions {
  /** Children shown per reference list (default 50). */
  limit?: number;
  /** Nodes in the whole tree (default 1000); aggregates such as a province row reach it. */
  maxNodes?: number;
  /** `auto` reuses a hash `verify` recorded while the file's stat is unchanged; `always` re-hashes. */
  rehash?: 'auto' | 'always';
  landingDir?: string | null;
  sqlDir?: string;
  /** Reuse a catalog across many traces of one warehouse (tests, benchmarks). */
  catalog?: Catalog;
}
