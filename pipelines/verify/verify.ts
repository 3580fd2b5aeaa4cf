// `jianguan verify`: prove that nothing loaded was lost or altered. Landed files are re-hashed against the ledger,
// the ledger is reconciled with raw rows and rejects batch by batch, raw rows are re-hashed against their
// `_row_hash` (batch digests too), every lineage and evidence reference must resolve, the run manifests must be intact,
// the mart tables of the warehouse and of the published snapshot must match their recorded fingerprints,
// and with `--anchor FILE` the manifest chain must match every chain head anchored outside the warehouse. Exit code
// 0 when clean, 1 when anything is missing, altered or orphaned (a file replaced by a later loaded version is
// reported as information only).
//
// It checks the published snapshot (the file `query` reads; never blocking a run), or with --live the warehouse
// itself, READ_ONLY (a run that starts meanwhile exits 75).
import { existsSync } from 'node:fs';
import { JianguanError } from '../../lib/errors.ts';
import { archiveDirOf } from '../../schemas/archive-dir.ts';
import { hmacKeyFromEnv } from '../../schemas/row-hash.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { type Published, readPublished, readPublishedOf, snapshotPath } from '../../warehouse/snapshot.ts';
import { readStatusDoc } from '../../warehouse/status-doc.ts';
import { loadCatalog } from '../catalog/catalog.ts';
import { type AnchorSummary, checkAnchor } from './anchor.ts';
import { type ArchiveSummary, checkArchive } from './archive.ts';
import { checkFingerprints, type FingerprintSummary } from './fingerprints.ts';
import { checkLandedFiles, type LandedSummary } from './landed.ts';
import { checkLedger, type LedgerSummary, rawTables } from './ledger.ts';
import { checkManifests } from './manifest.ts';
import { type Problem, type ProblemKind, Problems } from './problems.ts';
import { checkReferences, type RefsSummary } from './refs.ts';
import { checkRowHashes, type RowHashSummary } from './row-hashes.ts';

export interface VerifyOptions {
  db: string;
  /** The sources config: its landing dir is where the files are re-hashed. Without it, files are not checked. */
  config?: string;
  sqlDir?: string;
  /** Landing files moved away after loading (archived) are listed, but do not fail verify. */
  allowMissing?: boolean;
  /** How `config` was chosen (given, the default path, or the one the last run recorded), for the report. */
  configFrom?: { from: string; runId: number | null };
  /**
   * Which file: `snapshot` the published copy (what `query` reads; never blocks a run; the CLI's default), `live` the
   * warehouse itself (READ_ONLY; a run starting meanwhile exits 75), `auto` (default here) the snapshot when there is one.
   */
  from?: 'snapshot' | 'live' | 'auto';
  /** An anchor file (`--anchor`): the manifest chain must match every run anchored in it. */
  anchor?: string;
  /** Fail (exit 1) on what cannot be checked, too: HMAC row hashes without the key. */
  strict?: boolean;
  /** The HMAC key of the row hashes; default $JIANGUAN_HMAC_KEY. */
  hmacKey?: string | null;
}

/** The file verified: the snapshot (what `query` reads) and the run that published it, or the warehouse (`--live`). */
export interface VerifyChecked {
  file: string;
  source: 'snapshot' | 'warehouse';
  published: Published | null;
  /** Batches loaded after that publish (not covered), from the status document; null when unknown. */
  batchesAfter: number | null;
}

/** The sources config whose landing dir the files were re-hashed under; null when none was known (files not checked). */
export interface VerifyConfig {
  path: string;
  from: string;
  runId: number | null;
  landingDir: string;
}

export interface VerifyReport {
  ok: boolean;
  exitCode: 0 | 1;
  /** Listed findings (the first 50 of each kind), errors first. */
  problems: Problem[];
  /** Every finding counted, by kind (rows, records or files, as the kind says). */
  counts: Partial<Record<ProblemKind, number>>;
  /** null: files were NOT checked (no config given, none at the default path, none recorded by a run). */
  files: LandedSummary | null;
  config: VerifyConfig | null;
  /** The archive of loaded files checked against the ledger. */
  archive: ArchiveSummary;
  ledger: LedgerSummary;
  references: RefsSummary;
  manifests: number;
  rowHashes: RowHashSummary;
  fingerprints: FingerprintSummary;
  /** null: no --anchor given (the chain was only checked against itself). */
  anchor: AnchorSummary | null;
  elapsedMs: number;
  /** Absent only from verifyWarehouse (an open warehouse: the caller knows which). */
  checked?: VerifyChecked;
}

/** Verify an open warehouse; `landingDir` null skips the file checks. */
export async function verifyWarehouse(
  wh: Warehouse,
  o: {
    landingDir: string | null;
    sqlDir?: string;
    allowMissing?: boolean;
    recordStamps?: boolean;
    anchor?: string;
    strict?: boolean;
    hmacKey?: string | null;
    /** The file is the published snapshot: the snapshot is not compared a second time, anchors after it are not covered. */
    isSnapshot?: boolean;
    archive?: { dir: string | null; enabled: boolean };
  },
): Promise<VerifyReport> {
  const started = performance.now();
  const info: ProblemKind[] = [...(o.allowMissing ? (['file-missing'] as const) : []), ...(o.strict ? [] : (['raw-hash-unchecked'] as const))];
  const problems = new Problems(info);
  const archive = await checkArchive(wh, o.archive ?? { dir: null, enabled: true }, problems);
  const files = o.landingDir ? await checkLandedFiles(wh, o.landingDir, problems, o.recordStamps ?? true, archive.intact) : null;
  const ledger = await checkLedger(wh, problems);
  const references = await checkReferences(wh, await loadCatalog(wh, o.sqlDir), problems);
  const rowHashes = await checkRowHashes(wh, await rawTables(wh), o.hmacKey ?? hmacKeyFromEnv(), problems);
  const { manifests } = await checkManifests(wh, problems);
  const fingerprints = await checkFingerprints(wh, problems, !o.isSnapshot);
  const anchor = o.anchor ? await checkAnchor(wh, o.anchor, problems, o.isSnapshot ? await publishedRunIn(wh) : null) : null;
  const listed = [...problems.listed].sort((a, b) => Number(a.severity === 'info') - Number(b.severity === 'info'));
  const ok = problems.errors === 0;
  return {
    ok,
    exitCode: ok ? 0 : 1,
    problems: listed,
    counts: Object.fromEntries(problems.counts),
    files,
    config: null,
    archive: archive.summary,
    ledger,
    references,
    manifests,
    rowHashes,
    fingerprints,
    anchor,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** The run that published the snapshot open in `wh` (its own manifest is written after it, so not in it). */
async function publishedRunIn(wh: Warehouse): Promise<number | null> {
  return (await readPublishedOf(wh))?.run_id ?? null;
}

/** The file `verify` reads (see VerifyOptions.from); exit 2 when it is not there. */
export function verifySource(db: string, from: VerifyOptions['from'] = 'auto'): string {
  if (from === 'live' || (from === 'auto' && !existsSync(snapshotPath(db)))) {
    if (!existsSync(db)) throw new JianguanError('warehouse-not-found', `verify: no warehouse at ${db}`, { exitCode: 2 });
    return db;
  }
  const snapshot = snapshotPath(db);
  if (existsSync(snapshot)) return snapshot;
  if (!existsSync(db)) throw new JianguanError('warehouse-not-found', `verify: no warehouse at ${db}`, { exitCode: 2 });
  throw new JianguanError(
    'no-snapshot',
    `verify: ${db} has no published snapshot yet (${snapshot}): run \`jianguan run\` first, or add --live to verify the warehouse itself`,
    { exitCode: 2 },
  );
}

export async function runVerify(o: VerifyOptions): Promise<VerifyReport> {
  const file = verifySource(o.db, o.from);
  const cfg = o.config ? loadSourcesConfig(o.config) : null;
  const landingDir = cfg?.landingDir ?? null;
  const archiveDir = cfg ? archiveDirOf(cfg.file, cfg.archive_dir, o.db) : null;
  const archive = { dir: archiveDir, enabled: !cfg || archiveDir !== null };
  const config =
    o.config && landingDir ? { path: o.config, from: o.configFrom?.from ?? 'given', runId: o.configFrom?.runId ?? null, landingDir } : null;
  // READ_ONLY (a snapshot is opened the way analysts open it, --live never takes the writer's lock), so the files'
  // stamps are not recorded; only an in-process `auto` verify of a warehouse without a snapshot opens it writable
  const readOnly = o.from !== undefined && o.from !== 'auto' ? true : file !== o.db;
  const r = await withOpenWarehouse(
    file,
    (wh) =>
      verifyWarehouse(wh, {
        landingDir,
        sqlDir: o.sqlDir,
        allowMissing: o.allowMissing,
        recordStamps: !readOnly,
        anchor: o.anchor,
        strict: o.strict,
        hmacKey: o.hmacKey,
        isSnapshot: file !== o.db,
        archive,
      }),
    { readOnly },
  );
  return { ...r, config, checked: await checkedFile(o.db, file, file === o.db) };
}

/** What the report says it checked: the file, the run that published it, and what was loaded after. */
async function checkedFile(db: string, file: string, live: boolean): Promise<VerifyChecked> {
  if (live) return { file, source: 'warehouse', published: null, batchesAfter: null };
  const published = await readPublished(db);
  const doc = readStatusDoc(db);
  // the status document (a cache the writer keeps) only counts what this check does not cover; it proves nothing
  const batchesAfter =
    doc && published
      ? Object.entries(doc.loaded_batches_by_run)
          .filter(([run]) => Number(run) > published.run_id)
          .reduce((n, [, k]) => n + k, 0)
      : null;
  return { file, source: 'snapshot', published, batchesAfter };
}
