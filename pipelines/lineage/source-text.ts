// The text of each traced raw row's source line: read from the landing file while it is unchanged, else from the
// archive (the gzip of the exact bytes that batch was loaded from), else not available. One pass per file, stopping
// at the last line wanted.

import type { Warehouse } from '../../warehouse/db.ts';
import { byteStream, readLines } from '../archive/read.ts';
import type { FileVerdict } from '../catalog/files.ts';
import type { BatchInfo } from './fetch.ts';

export interface LineTexts {
  from: 'landing' | 'archive' | null;
  lines: Map<number, string>;
  /** Why there is no text (from null). */
  why: string | null;
}

/** The archived entries (unpruned) of these hashes; empty when the warehouse predates the archive. */
async function archivePaths(wh: Warehouse, hashes: string[]): Promise<Map<string, string>> {
  if (!hashes.length) return new Map();
  const known = await wh.scalarNumber(
    "select count(*) from information_schema.tables where table_catalog = current_database() and table_schema = 'meta' and table_name = 'archive'",
  );
  if (!known) return new Map();
  const rows = await wh.all(
    `select sha256, path from meta.archive where pruned_at is null and sha256 in (${hashes.map(() => '?').join(', ')})`,
    hashes,
  );
  return new Map(rows.map((r) => [String(r.sha256), String(r.path)]));
}

export async function lineTexts(
  wh: Warehouse,
  batches: BatchInfo[],
  verdicts: Map<number, FileVerdict>,
  wanted: Map<number, Set<number>>,
): Promise<Map<number, LineTexts>> {
  const archived = await archivePaths(wh, [...new Set(batches.map((b) => b.sha256))]);
  const out = new Map<number, LineTexts>();
  await Promise.all(
    batches.map(async (b) => {
      const v = verdicts.get(b.batch_id);
      const lines = wanted.get(b.batch_id) ?? new Set<number>();
      try {
        if (v?.state === 'ok' && v.path) {
          out.set(b.batch_id, { from: 'landing', lines: await readLines(byteStream(v.path, false), b.encoding, lines), why: null });
          return;
        }
        const entry = archived.get(b.sha256);
        if (entry) {
          out.set(b.batch_id, { from: 'archive', lines: await readLines(byteStream(entry, true), b.encoding, lines), why: null });
          return;
        }
        const why =
          v?.state === 'unchecked' || !v
            ? 'landing files not checked (no sources config), and the archive has no copy of this version'
            : 'the landing file is no longer the version loaded, and the archive has no copy of it (archive off, or pruned)';
        out.set(b.batch_id, { from: null, lines: new Map(), why });
      } catch (err) {
        out.set(b.batch_id, { from: null, lines: new Map(), why: `cannot be read: ${(err as Error).message}` });
      }
    }),
  );
  return out;
}
