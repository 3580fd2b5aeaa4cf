// vitest globalSetup: builds each generated warehouse that several test files share once per `vitest run`, in a
// temporary folder removed afterwards, and provides its paths (testkit/shared.ts). The test files then take
// copies, so the heavy building happens here, outside any test or hook.
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runFixtures } from '../fixtures/generator/command.ts';
import { silentLogger } from '../lib/log.ts';
import { makeTempDir } from '../lib/temp-dir.ts';
import { runNightly } from '../pipelines/run/nightly.ts';
import { buildHistoryWarehouse } from './history.ts';
import { nightly, testLanding } from './landing.ts';
import { BROKEN_LANDING, type BrokenWarehouse, type SharedWarehouse } from './shared.ts';

async function buildSmallWarehouse(dir: string): Promise<SharedWarehouse> {
  const t = await testLanding(join(dir, 'landing'));
  const db = join(dir, 'w.duckdb');
  const r = await nightly(db, t.config, '2024-12-31');
  return { ...t, db, runId: r.runId };
}

async function buildBrokenWarehouse(dir: string): Promise<BrokenWarehouse> {
  const f = await runFixtures({ out: join(dir, 'landing'), ...BROKEN_LANDING });
  const db = join(dir, 'w.duckdb');
  const r = await runNightly({ db, config: f.config, asOf: BROKEN_LANDING.asOf, log: silentLogger() });
  if (r.exitCode !== 3) throw new Error(`the broken landing zone's nightly run exited ${r.exitCode}, not 3: ${r.error?.message ?? ''}`);
  // provided values cross to the test workers as plain data
  return { landing: f.out, config: f.config, manifest: f.manifest, db, nightly: JSON.parse(JSON.stringify(r)) };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const { dir, cleanup } = makeTempDir('jianguan-shared-');
  try {
    // both at once: while one run parses files in JavaScript, DuckDB can work for the other on the second core
    const [small, broken, history] = await Promise.all([
      buildSmallWarehouse(join(dir, 'small')),
      buildBrokenWarehouse(join(dir, 'broken')),
      buildHistoryWarehouse(join(dir, 'history')),
    ]);
    project.provide('smallWarehouse', small);
    project.provide('brokenWarehouse', broken);
    project.provide('historyWarehouse', history);
  } catch (err) {
    cleanup();
    throw err;
  }
  return cleanup;
}
