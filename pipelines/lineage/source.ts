// The last step of a trace: each raw row gets its source (department, level, file, line, batch, run, checksum),
// and each file is compared with the ledger once per trace, however many of its rows the tree holds.
import type { Warehouse } from '../../warehouse/db.ts';
import { type FileVerdict, judgeFile, latestByLocation, recordedChecks } from '../catalog/files.ts';
import { batchesById } from './fetch.ts';
import { type LineTexts, lineTexts } from './source-text.ts';
import type { LineageNode, SourceRef } from './types.ts';

function rawNodes(node: LineageNode, out: LineageNode[] = []): LineageNode[] {
  if (node.kind === 'row' && node.table?.startsWith('raw.') && node.row) out.push(node);
  for (const c of node.children) rawNodes(c, out);
  return out;
}

function textOf(t: LineTexts | undefined, line: number): Pick<SourceRef, 'text' | 'text_from' | 'text_missing'> {
  const text = t?.lines.get(line);
  if (t?.from && text !== undefined) return { text, text_from: t.from, text_missing: null };
  return { text: null, text_from: null, text_missing: t?.why ?? `line ${line} is not in the file` };
}

export async function attachSources(wh: Warehouse, root: LineageNode, o: { landingDir: string | null; rehash: 'auto' | 'always' }): Promise<void> {
  const raws = rawNodes(root);
  if (!raws.length) return;
  // n.row is a row of a raw table, read untyped (lineage walks arbitrary tables): its BIGINTs are strings
  const batches = await batchesById(
    wh,
    raws.map((n) => Number(n.row?._batch_id)),
  );
  const locations = [...new Set([...batches.values()].map((b) => b.location))];
  const judge = {
    landingDir: o.landingDir,
    rehash: o.rehash,
    recorded: o.landingDir ? await recordedChecks(wh) : new Map(),
    latest: await latestByLocation(wh, locations),
  };
  const verdicts = new Map<number, FileVerdict>();
  await Promise.all(
    [...batches.values()].map(async (b) => {
      verdicts.set(b.batch_id, await judgeFile(b, judge));
    }),
  );
  const wanted = new Map<number, Set<number>>();
  for (const n of raws) {
    const id = Number(n.row?._batch_id);
    wanted.set(id, (wanted.get(id) ?? new Set()).add(Number(n.row?._source_line)));
  }
  const texts = await lineTexts(wh, [...batches.values()], verdicts, wanted);
  for (const n of raws) {
    const b = batches.get(Number(n.row?._batch_id));
    if (!b) continue; // an orphan raw row: no ledger entry to point at (verify reports it)
    const v = verdicts.get(b.batch_id);
    n.source = {
      feed: b.feed,
      source_id: b.source_id,
      level: b.level,
      region_code: b.region_code,
      department: b.department,
      location: b.location,
      path: v?.path ?? null,
      line: Number(n.row?._source_line),
      record_no: Number(n.row?._record_no),
      batch_id: b.batch_id,
      run_id: b.run_id,
      run_started_at: b.run_started_at,
      loaded_at: b.loaded_at,
      code_version: b.code_version,
      sha256: b.sha256,
      bytes: b.bytes,
      file: v?.state ?? 'unchecked',
      file_sha256_now: v?.sha256 ?? null,
      superseded_by: v?.superseded_by ?? null,
      checked_by: v?.method ?? 'none',
      ...textOf(texts.get(b.batch_id), Number(n.row?._source_line)),
    };
  }
}
