// `jianguan verify`: prove that nothing loaded was lost or altered. Landed files are re-hashed against the ledger,
// the ledger is reconciled with raw rows and rejects batch by batch, raw rows are re-hashed against their
// `_row_hash`, every lineage and evidence reference must resolve, and the run manifests must be intact. Exit code
// 0 when clean, 1 when anything is missing, altered or orphaned (a file replaced by a later loaded version is
// reported as information only).
import { existsSync } from 'node:fs';
import { JianguanError } from '../../lib/errors.ts';
import { archiveDirOf } from '../../schemas/archive-dir.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { loadCatalog } from '../catalog/catalog.ts';
import { type ArchiveSummary, checkArchive } from './archive.ts';
import { checkLandedFiles, type LandedSummary } from './landed.ts';
import { checkLedger, type LedgerSummary } from './ledger.ts';
import { checkManifests } from './manifest.ts';
import { type Problem, type ProblemKind, Problems } from './problems.ts';
import { checkReferences, type RefsSummary } from './refs.ts';

export interface VerifyOptions {
  db: string;
  /** The sources config: its landing dir is where the files are re-hashed. Without it, files are not checked. */
  config?: string;
  sqlDir?: string;
  /** Landing files moved away after loading (archived) are listed, but do not fail verify. */
  allowMissing?: boolean;
  /** How `config` was chosen (given, the default path, or the one the last run recorded), for the report. */
  configFrom?: { from: string; runId: number | null };
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
  elapsedMs: number;
}

/** Verify an open warehouse; `landingDir` null skips the file checks. */
export async function verifyWarehouse(
  wh: Warehouse,
  o: { landingDir: string | null; sqlDir?: string; allowMissing?: boolean; archive?: { dir: string | null; enabled: boolean } },
): Promise<VerifyReport> {
  const started = performance.now();
  const problems = new Problems(o.allowMissing ? ['file-missing'] : []);
  const archive = await checkArchive(wh, o.archive ?? { dir: null, enabled: true }, problems);
  const files = o.landingDir ? await checkLandedFiles(wh, o.landingDir, problems, archive.intact) : null;
  const ledger = await checkLedger(wh, problems);
  const references = await checkReferences(wh, await loadCatalog(wh, o.sqlDir), problems);
  const { manifests } = await checkManifests(wh, problems);
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
    elapsedMs: Math.round(performance.now() - started),
  };
}

export async function runVerify(o: VerifyOptions): Promise<VerifyReport> {
  if (!existsSync(o.db)) throw new JianguanError('warehouse-not-found', `verify: no warehouse at ${o.db}`, { exitCode: 2 });
  const cfg = o.config ? loadSourcesConfig(o.config) : null;
  const landingDir = cfg?.landingDir ?? null;
  const archiveDir = cfg ? archiveDirOf(cfg.file, cfg.archive_dir, o.db) : null;
  const archive = { dir: archiveDir, enabled: !cfg || archiveDir !== null };
  const config =
    o.config && landingDir ? { path: o.config, from: o.configFrom?.from ?? 'given', runId: o.configFrom?.runId ?? null, landingDir } : null;
  const r = await withOpenWarehouse(o.db, (wh) => verifyWarehouse(wh, { landingDir, sqlDir: o.sqlDir, allowMissing: o.allowMissing, archive }));
  return { ...r, config };
}
