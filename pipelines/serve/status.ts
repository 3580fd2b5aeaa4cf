// `jianguan status`: what was loaded, rejected and failed, per source; the rejects by reason; what is published
// (the snapshot's run and as-of date, which `query` and `lineage` read). It reads the status document the writer
// keeps (warehouse/status-doc.ts) and the snapshot, never the warehouse file, so it never blocks a run; `--live`
// (or a warehouse from before the document) reads the warehouse itself, READ_ONLY.

import { archiveDirOf } from '../../schemas/archive-dir.ts';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import type { RunRow, SourceStatus } from '../../warehouse/run-status.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { type Published, readPublished } from '../../warehouse/snapshot.ts';
import { type RunState, readStatusDoc, runState } from '../../warehouse/status-doc.ts';
import { type FullStatus, fullStatus } from '../archive/status.ts';

export type { RunRow, SourceStatus };

export interface StatusReport extends FullStatus {
  /** The published snapshot (meta.published in it): its run, as-of date and time; null when none is. */
  published: Published | null;
  /** Where the report comes from: the writer's status document, or the warehouse read live. */
  read_from: 'status-document' | 'warehouse';
  /** When the writer wrote the document (null when read live). */
  written_at: string | null;
  /** A run the document says is in progress (`state` running), or that died without finishing (`gone`). */
  run_in_progress: RunState | null;
  /** Said when the warehouse had to be read live although --live was not asked for. */
  note: string | null;
}

/** `config`: its enabled sources that have no batch at all are listed too, with 0 files. */
function withConfigured(sources: SourceStatus[], config: string | undefined): SourceStatus[] {
  const configured = config ? loadSourcesConfig(config).sources.filter((s) => s.enabled) : [];
  const out = [...sources];
  const known = new Set(sources.map((s) => s.source_id));
  for (const c of configured) {
    if (known.has(c.id)) continue;
    out.push({
      source_id: c.id,
      level: c.level,
      region_code: c.region_code,
      department: c.department,
      feed: c.feed,
      files: 0,
      batches_loaded: 0,
      batches_skipped: 0,
      batches_failed: 0,
      rows_read: 0,
      rows_loaded: 0,
      rows_rejected: 0,
      last_loaded_at: null,
    });
  }
  return out.sort((a, b) => (a.source_id < b.source_id ? -1 : a.source_id > b.source_id ? 1 : 0));
}

/** The archive as the config sets it (on, its folder; off) with the warehouse's counts of it. */
function withArchive(s: FullStatus, config: string | undefined, db: string): FullStatus['archive'] {
  const base = s.archive ?? { enabled: null, dir: null, entries: 0, bytes: 0, stored_bytes: 0, pruned: 0 };
  if (!config) return base;
  const cfg = loadSourcesConfig(config);
  const dir = archiveDirOf(cfg.file, cfg.archive_dir, db);
  return { ...base, enabled: dir !== null, dir };
}

/** `all`: every changed value of each re-sent file (read live: the status document keeps the first 20 of each). */
export async function runStatus(o: { db: string; config?: string; live?: boolean; all?: boolean }): Promise<StatusReport> {
  const doc = o.live ? null : readStatusDoc(o.db);
  const published = await readPublished(o.db);
  if (doc) {
    const s = doc.status as FullStatus;
    return {
      ...s,
      sources: withConfigured(s.sources, o.config),
      archive: withArchive(s, o.config, o.db),
      resent_files: s.resent_files ?? [],
      published,
      read_from: 'status-document',
      written_at: doc.written_at,
      run_in_progress: runState(doc),
      note: o.all ? 'the status document keeps the first 20 changed values of each re-sent file: add --live for every one' : null,
    };
  }
  const s = await withOpenWarehouse(o.db, (wh) => fullStatus(wh, o.all), { readOnly: true });
  return {
    ...s,
    sources: withConfigured(s.sources, o.config),
    archive: withArchive(s, o.config, o.db),
    published,
    read_from: 'warehouse',
    written_at: null,
    run_in_progress: null,
    note: o.live ? null : 'no status document yet (no run since this version): read the warehouse itself, which a run in progress would block',
  };
}
