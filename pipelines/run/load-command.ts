// `jianguan load`: find new landing files of every configured source and load each as one batch, as its own run
// through the run kernel. A load rebuilds no mart, so no checks, history or publishing follow it: the published
// snapshot keeps describing the last transform. Exit 3 when some files failed (the rest loaded).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadSourcesConfig } from '../../schemas/sources-config.ts';
import { DEFAULT_MEMORY_LIMIT, type LoadOptions, type LoadResult, loadFiles } from '../ingest/load.ts';
import { runCommand } from './kernel.ts';

export async function runLoad(o: LoadOptions & { openLineage?: string | null }): Promise<LoadResult> {
  const cfg = loadSourcesConfig(o.config);
  const r = await runCommand(
    {
      command: 'load',
      db: o.db,
      args: { sources: o.sources ?? null, date: o.date ?? null },
      configFile: o.config,
      configHash: createHash('sha256').update(readFileSync(o.config)).digest('hex'),
      // A bounded buffer pool keeps peak RSS flat whatever the input size; DuckDB spills beyond it. It is set when
      // the warehouse is opened: lowering it later leaves RSS unbounded (measured: 4.1 GiB on 2 GiB input).
      memoryLimit: o.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      log: o.log,
      openLineage: o.openLineage ?? null,
      landingDir: cfg.landingDir,
    },
    async ({ wh, runId, log }) => {
      const result = await loadFiles(wh, cfg, runId, o, log);
      return { ...result, partial: result.totals.batchesFailed > 0, transformed: null };
    },
  );
  const { partial: _p, transformed: _t, ...result } = r.value;
  return result;
}
