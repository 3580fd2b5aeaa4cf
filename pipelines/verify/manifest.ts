// The run manifests as evidence: each stored document still hashes to its recorded SHA-256 and names its
// predecessor's, and the tables still hold the row counts the most recent manifest recorded (rows deleted from a
// mart or raw table after the last run show here even when no reference dangles).
import { col } from '../../warehouse/columns.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { manifestSha256, type RunManifest, tableCounts } from '../audit/manifest.ts';
import type { Problems } from './problems.ts';

export async function checkManifests(wh: Warehouse, problems: Problems): Promise<{ manifests: number }> {
  const rows = await wh.rows('select run_id, manifest, sha256, prev_sha256 from meta.run_manifests order by run_id', {
    run_id: col.int(),
    manifest: col.text(),
    sha256: col.text(),
    prev_sha256: col.nullable(col.text()),
  });
  let prev: string | null = null;
  let last: RunManifest | null = null;
  for (const r of rows) {
    const at = { table: 'meta.run_manifests' };
    let m: RunManifest | null = null;
    try {
      m = JSON.parse(r.manifest) as RunManifest;
    } catch {
      problems.add('manifest-altered', `run ${r.run_id}: the stored manifest is not valid JSON`, at);
    }
    if (m && manifestSha256(m) !== r.sha256)
      problems.add('manifest-altered', `run ${r.run_id}: the manifest no longer hashes to its recorded sha256`, at);
    if (r.prev_sha256 !== prev || (m && m.prev_sha256 !== prev)) {
      problems.add(
        'manifest-altered',
        `run ${r.run_id}: the chain is broken (its predecessor's sha256 is not the one it names; a manifest was removed or replaced)`,
        at,
      );
    }
    prev = r.sha256;
    last = m;
  }
  // counts only compare when nothing ran since the last manifest (a run without one would legitimately differ)
  const newest = await wh.scalarNumber('select coalesce(max(run_id), 0) from meta.runs');
  if (last && last.run_id === newest) {
    const now = await tableCounts(wh);
    for (const [table, rows] of Object.entries(last.tables)) {
      const current = now[table];
      if (current !== rows) {
        problems.add('table-rows-changed', `${table}: ${current ?? 'gone'} row(s) now, ${rows} when run ${last.run_id} finished`, { table });
      }
    }
  }
  return { manifests: rows.length };
}
