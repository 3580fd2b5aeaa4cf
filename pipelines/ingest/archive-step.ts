// The loader's side of the archive (pipelines/archive/): which files get their bytes teed into it while they are
// fingerprinted, and keeping an entry for content that was loaded before the archive held it.
import type { Logger } from '../../lib/log.ts';
import { archiveDirOf } from '../../schemas/archive-dir.ts';
import type { SourcesConfig } from '../../schemas/sources-config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { type PrunedEntry, pruneArchive } from '../archive/prune.ts';
import { type ArchiveTee, archivedHashes, commitEntry, type PendingEntry, startTee } from '../archive/store.ts';
import { recordedChecks, statStamp } from '../catalog/files.ts';
import type { Planned } from './plan.ts';

export interface ArchiveSummary {
  /** The archive folder; null when the config turns the archive off (`"archive_dir": false`). */
  dir: string | null;
  /** Entries written by this load (new content; content already archived is not written again). */
  archived: number;
  pruned: PrunedEntry[];
}

export class ArchiveStep {
  readonly summary: ArchiveSummary;
  private constructor(
    readonly dir: string | null,
    private readonly keepDays: number | undefined,
    private readonly archived: Set<string>,
    private readonly recorded: Map<string, { sha256: string; stamp: string }>,
  ) {
    this.summary = { dir, archived: 0, pruned: [] };
  }

  static async open(wh: Warehouse, cfg: SourcesConfig, db: string): Promise<ArchiveStep> {
    const dir = archiveDirOf(cfg.file, cfg.archive_dir, db);
    if (!dir) return new ArchiveStep(null, undefined, new Set(), new Map());
    return new ArchiveStep(dir, cfg.archive_keep_days, await archivedHashes(wh), await recordedChecks(wh));
  }

  /**
   * A tee for this file's bytes; null when the archive is off, or when the file still has the stat stamp under which
   * content already archived was hashed (it is then unchanged, and not compressed again on every run).
   */
  async teeFor(p: Planned): Promise<ArchiveTee | null> {
    if (!this.dir) return null;
    const rec = this.recorded.get(p.location);
    if (rec && this.archived.has(rec.sha256) && (await statStamp(p.path).catch(() => null))?.stamp === rec.stamp) return null;
    return startTee(this.dir);
  }

  /** In the batch's transaction: the entry into place and into meta.archive. */
  async commit(tx: Warehouse, e: PendingEntry | null, sha256: string): Promise<void> {
    if (!e || this.archived.has(sha256)) return;
    await commitEntry(tx, e, sha256);
  }

  /** After the transaction committed. */
  committed(sha256: string): void {
    if (!this.dir || this.archived.has(sha256)) return;
    this.archived.add(sha256);
    this.summary.archived++;
  }

  /** Content loaded before, not archived yet (loaded while the archive was off or before it existed): archive it now. */
  async keepLoaded(wh: Warehouse, e: PendingEntry | null, sha256: string): Promise<void> {
    if (!e || this.archived.has(sha256)) return;
    await wh.transaction((tx) => commitEntry(tx, e, sha256));
    this.committed(sha256);
  }

  async prune(wh: Warehouse, log: Logger): Promise<void> {
    if (this.dir && this.keepDays !== undefined) this.summary.pruned = await pruneArchive(wh, this.keepDays, log);
  }
}
