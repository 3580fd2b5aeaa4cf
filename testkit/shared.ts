// The generated warehouses several test files share: testkit/global-setup.ts builds each one once per
// `vitest run` and provides where it is; a test file takes its own copy, so files never see each other's writes
// and can run in parallel. Only a test that never opens the warehouse nor touches the landed files may use the
// shared paths directly.
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import type { NightlyResult } from '../pipelines/run/nightly.ts';
import { snapshotPath } from '../warehouse/snapshot.ts';
import { statusDocPath } from '../warehouse/status-doc.ts';
import type { HistoryWarehouse } from './history.ts';
import type { TestLanding } from './landing.ts';

/** A landing zone (TestLanding) and the warehouse one nightly run built from it. */
export interface SharedWarehouse extends TestLanding {
  db: string;
  runId: number;
}

/** A whole generated landing zone with broken files, and the warehouse one (partial) nightly run built from it. */
export interface BrokenWarehouse {
  landing: string;
  /** The generator's sources config (jianguan.sources.json) and manifest. */
  config: string;
  manifest: string;
  db: string;
  /** What runNightly returned (plain data). */
  nightly: NightlyResult;
}

/** Options of the landing zone behind BrokenWarehouse. */
export const BROKEN_LANDING = { seed: 11, scale: 0.3, brokenFiles: true, asOf: '2024-12-31' } as const;

declare module 'vitest' {
  export interface ProvidedContext {
    /** testLanding() (seed 11, TEST_REGIONS, as of 2024-12-31) + one successful nightly run. */
    smallWarehouse: SharedWarehouse;
    /** runFixtures(BROKEN_LANDING), all sources, + one nightly run as of 2024-12-31 (exit 3: files failed). */
    brokenWarehouse: BrokenWarehouse;
    /** Three nightly runs as of HISTORY_DATES over a regenerated landing zone (testkit/history.ts). */
    historyWarehouse: HistoryWarehouse;
  }
}

/** Copy a closed warehouse file with its WAL, published snapshot and anchor file, if any, to `to` (a .duckdb path). */
export function copyWarehouseFile(from: string, to: string): string {
  copyFileSync(from, to);
  for (const [a, b] of [
    [`${from}.wal`, `${to}.wal`],
    [snapshotPath(from), snapshotPath(to)],
    [statusDocPath(from), statusDocPath(to)],
    // the default anchor file beside it (pipelines/audit/anchor.ts anchorFileFor)
    [from.replace(/\.duckdb$/, '.anchors.jsonl'), to.replace(/\.duckdb$/, '.anchors.jsonl')],
  ] as const) {
    if (existsSync(a)) copyFileSync(a, b);
  }
  return to;
}

/** The shared broken warehouse with this file's own copy of its .duckdb in `dir`; the landing zone is shared. */
export function brokenWarehouse(dir: string): BrokenWarehouse {
  const shared = inject('brokenWarehouse');
  return { ...shared, db: copyWarehouseFile(shared.db, join(dir, basename(shared.db))) };
}

/**
 * This file's own copy of a shared warehouse, inside `dir`: always the .duckdb file (opening it takes a lock),
 * and with `landing: true` also the landing folder, for tests that alter or remove landed files.
 */
export function ownCopy(shared: SharedWarehouse, dir: string, o: { landing?: boolean } = {}): SharedWarehouse {
  const db = copyWarehouseFile(shared.db, join(dir, basename(shared.db)));
  if (!o.landing) return { ...shared, db };
  const landing = join(dir, 'landing');
  cpSync(shared.landing, landing, { recursive: true });
  return { ...shared, db, landing, config: join(landing, basename(shared.config)) };
}

/** The shared small warehouse (see ProvidedContext), copied into `dir`. */
export function smallWarehouse(dir: string, o: { landing?: boolean } = {}): SharedWarehouse {
  return ownCopy(inject('smallWarehouse'), dir, o);
}
