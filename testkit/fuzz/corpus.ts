// The fuzzer's seed inputs: a small generated landing zone (every feed, level and encoding the generator writes:
// UTF-8 with and without BOM, GBK, GB18030, CRLF, line breaks inside cells), read once into memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFixtures } from '../../fixtures/generator/command.ts';
import type { SourceEntry, Template } from './types.ts';

interface ManifestFile {
  path: string;
  source_id: string;
  encoding: string;
  bom: boolean;
  records: number;
  expect: string;
}

/** Generates the corpus into `dir` (deterministic from `seed`) and returns its files as templates. */
export async function buildCorpus(dir: string, seed: number): Promise<Template[]> {
  const f = await runFixtures({ out: dir, seed, scale: 0.02 });
  const cfg = JSON.parse(readFileSync(f.config, 'utf8')) as { sources: SourceEntry[] };
  const byId = new Map(cfg.sources.map((s) => [s.id, s]));
  const manifest = JSON.parse(readFileSync(f.manifest, 'utf8')) as { files: ManifestFile[] };
  const templates: Template[] = [];
  for (const m of manifest.files) {
    const source = byId.get(m.source_id);
    if (!source || m.expect !== 'loaded') continue;
    const encoding = m.encoding === 'gbk' || m.encoding === 'gb18030' ? m.encoding : 'utf-8';
    templates.push({ rel: m.path, source, bytes: readFileSync(join(dir, m.path)), encoding, bom: m.bom, records: m.records, connector: 'csv' });
  }
  templates.sort((a, b) => (a.rel < b.rel ? -1 : 1));
  return templates;
}
