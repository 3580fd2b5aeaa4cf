// `verify --anchor FILE`: the warehouse's manifest chain against the chain heads anchored outside it
// (pipelines/audit/anchor.ts). Every anchored run must still have a manifest with exactly the anchored sha256
// (the latest line of a run counts); a run whose manifest is gone or hashes differently is where the warehouse
// diverged from what was anchored, and is named. Runs recorded after the last anchored one are listed (info).
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { type AnchorLine, readAnchors } from '../audit/anchor.ts';
import type { Problems } from './problems.ts';

export interface AnchorSummary {
  file: string;
  lines: number;
  /** Anchored runs whose manifest matches. */
  matched: number;
  /** The first anchored run that no longer matches (null when all do). */
  first_diverged: number | null;
  /** Runs with a manifest but no anchor line (after the last anchor, or missing from the file). */
  unanchored: number[];
  /** Anchored runs the verified snapshot cannot hold (its publishing run and later ones): not checked here. */
  after_file: number;
}

/**
 * `coveredBelow`: the file is a published snapshot, copied during run `coveredBelow` before that run's manifest was
 * written: anchored runs from it on are not in the file (counted in `after_file`, not failed). Null for the warehouse,
 * where a missing anchored run is a deletion.
 */
export async function checkAnchor(wh: Warehouse, file: string, problems: Problems, coveredBelow: number | null = null): Promise<AnchorSummary> {
  const lines = readAnchors(file);
  const byRun = new Map<number, AnchorLine>();
  for (const l of lines) {
    if ('bad' in l) problems.add('anchor-diverged', `${file}:${l.bad}: not an anchor line`, { location: file });
    else byRun.set(l.run_id, l);
  }
  const manifests = new Map(
    (await wh.rows('select run_id, sha256 from meta.run_manifests order by run_id', { run_id: col.int(), sha256: col.text() })).map((r) => [
      r.run_id,
      r.sha256,
    ]),
  );
  const s: AnchorSummary = { file, lines: lines.length, matched: 0, first_diverged: null, unanchored: [], after_file: 0 };
  for (const [runId, a] of [...byRun].sort((x, y) => x[0] - y[0])) {
    if (coveredBelow !== null && runId >= coveredBelow) {
      s.after_file++;
      continue;
    }
    const have = manifests.get(runId);
    if (have === a.manifest_sha256) {
      s.matched++;
      continue;
    }
    s.first_diverged ??= runId;
    problems.add(
      'anchor-diverged',
      have === undefined
        ? `run ${runId}: anchored at ${a.anchored_at} (chain ${a.manifest_sha256.slice(0, 16)}…), but the warehouse has no manifest for it`
        : `run ${runId}: the warehouse's manifest chain hashes to ${have.slice(0, 16)}…, anchored at ${a.anchored_at} as ${a.manifest_sha256.slice(0, 16)}…: the warehouse was altered at or before run ${runId}`,
      { table: 'meta.run_manifests', location: file },
    );
  }
  s.unanchored = [...manifests.keys()].filter((r) => !byRun.has(r));
  if (s.unanchored.length) {
    const last = Math.max(0, ...byRun.keys());
    const after = s.unanchored.filter((r) => r > last);
    const gaps = s.unanchored.filter((r) => r < last);
    const parts = [
      after.length ? `run(s) ${after.join(', ')} recorded after the last anchored run ${last}` : null,
      gaps.length ? `run(s) ${gaps.join(', ')} have no line in the anchor file` : null,
    ].filter(Boolean);
    problems.add('anchor-unanchored', `${parts.join('; ')}: not proven by this anchor file`, { location: file }, s.unanchored.length);
  }
  return s;
}
