// Test support for the lineage, verify and history tests: a small but realistic warehouse built by the real
// pipeline (fixtures → load → transform). Loading costs about half a second per file, so the tests keep the
// province's feeds plus one city, and two of its counties (one GBK), where the planted overlaps and risks live.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFixtures } from '../fixtures/generator/command.ts';
import { silentLogger } from '../lib/log.ts';
import { type NightlyResult, runNightly } from '../pipelines/run/nightly.ts';

export const TEST_REGIONS = ['130000', '130100', '130102', '130533'];

export interface TestLanding {
  landing: string;
  /** The sources config limited to TEST_REGIONS (inside the landing dir, so its paths resolve the same). */
  config: string;
  manifest: ManifestLite;
}

export interface ManifestLite {
  files: { path: string; source_id: string; feed: string; encoding: string; records: number }[];
  risks: { kind: string; uscc: string; evidence: { path: string; line: number; feed: string }[] }[];
}

/** Generate fixtures into `landing` and write the reduced config beside them. */
export async function testLanding(landing: string, o: { seed?: number; asOf?: string; regions?: string[] } = {}): Promise<TestLanding> {
  const f = await runFixtures({ out: landing, seed: o.seed ?? 11, scale: 0.05, asOf: o.asOf ?? '2024-12-31' });
  const regions = new Set(o.regions ?? TEST_REGIONS);
  const cfg = JSON.parse(readFileSync(f.config, 'utf8')) as { sources: { region_code: string }[] };
  cfg.sources = cfg.sources.filter((s) => regions.has(s.region_code));
  const config = join(landing, 'test.sources.json');
  writeFileSync(config, JSON.stringify(cfg, null, 2));
  const manifest = JSON.parse(readFileSync(f.manifest, 'utf8')) as ManifestLite;
  return { landing, config, manifest };
}

/** One nightly run (load + transform + checks) as of `asOf`; throws unless it succeeded. */
export async function nightly(db: string, config: string, asOf: string): Promise<NightlyResult> {
  const r = await runNightly({ db, config, asOf, log: silentLogger() });
  if (r.exitCode !== 0) throw new Error(`nightly run failed (exit ${r.exitCode}): ${r.error?.message ?? 'checks failed'}`);
  return r;
}
