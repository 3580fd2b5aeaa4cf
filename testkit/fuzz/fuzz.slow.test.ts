// The fuzzer in CI: 240 damaged files from a fixed seed, two `jianguan load` processes, zero failures (the known,
// allow-listed bugs are counted apart). `npm run fuzz` runs the full 10,000 files with the big inputs.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { MUTATORS } from './mutators.ts';
import { runFuzz } from './runner.ts';

describe('fuzz (fixed seed)', () => {
  const { dir, cleanup } = makeTempDir('jianguan-fuzz-');
  afterAll(() => cleanup());

  it('loads 240 damaged files: none hangs, crashes or goes missing, every record is loaded or rejected', async () => {
    const r = await runFuzz({
      seed: 20261202,
      count: 240,
      connectors: ['csv'],
      big: false,
      perFileMs: 60_000,
      batchSize: 120,
      work: join(dir, 'work'),
      failures: join(dir, 'failures'),
    });
    expect(r.failures.map((f) => `${f.recipe.mutator} ${f.location}: ${f.problems.join('; ')}`)).toEqual([]);
    expect(r.files).toBe(240);
    expect(Object.keys(r.outcomes).sort()).toEqual(MUTATORS.csv.small.map((m) => m.name).sort());
    // the kept-content damage loads, the rest fails as a whole with a file reason
    expect(r.outcomes['line-ends-crlf']).toEqual({ loaded: expect.any(Number) });
    expect(Object.keys(r.outcomes['truncate-zero']!)).toEqual(['failed:empty-file']);
    expect(r.peakRssKiB).toBeGreaterThan(0);
  });
});
