// Lineage speed on a warehouse of the bench's size: the generated landing zone plus a 1,000,000-record licence
// feed, loaded and transformed by the nightly job, then random rows of every mart and core table traced, each in
// a fresh process-level state except for the catalog (as the CLI pays for it once per call, it is timed apart).
// Run: npm run bench:lineage -- [DIR] [RECORDS]   (DIR is kept, so a second run skips the build)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBenchFeed } from '../fixtures/generator/bench.ts';
import { silentLogger } from '../lib/log.ts';
import { withWarehouse } from '../warehouse/db.ts';
import { qualified } from '../warehouse/sql.ts';
import { runFixtures } from '../pipelines/fixtures.ts';
import { loadCatalog } from '../pipelines/lineage-catalog.ts';
import { lineageOf } from '../pipelines/lineage.ts';
import { runNightly } from '../pipelines/run.ts';
import { runVerify } from '../pipelines/verify.ts';

const dir = resolve(process.argv[2] ?? '.bench-lineage');
const records = Number(process.argv[3] ?? 1_000_000);
const db = join(dir, 'warehouse.duckdb');
const landing = join(dir, 'landing');
const config = join(landing, 'bench.sources.json');
const SAMPLES = 5;

if (!existsSync(db)) {
  const t0 = performance.now();
  const f = await runFixtures({ out: landing, seed: 7, scale: 0.1 });
  const feed = await writeBenchFeed({ path: join(landing, 'bench', 'license_utf8.csv'), records, encoding: 'utf-8', seed: 7, landingDir: landing });
  const cfg = JSON.parse(readFileSync(f.config, 'utf8')) as { sources: unknown[] };
  cfg.sources.push(feed.sourceConfig);
  writeFileSync(config, JSON.stringify(cfg, null, 2));
  const r = await runNightly({ db, config, asOf: '2024-12-31', log: silentLogger() });
  process.stderr.write(`built in ${((performance.now() - t0) / 1000).toFixed(0)} s, exit ${r.exitCode}, transform ${r.transform?.elapsedMs} ms\n`);
}

const landingDir = landing;
await withWarehouse(db, async (wh) => {
  const raw = await wh.scalarNumber('select sum(rows_loaded) from meta.batches');
  let t = performance.now();
  const cat = await loadCatalog(wh);
  process.stdout.write(`raw rows ${raw}; catalog ${Math.round(performance.now() - t)} ms\n`);
  for (const info of cat.tables.values()) {
    if (info.schema !== 'mart' && info.schema !== 'core') continue;
    const keyList = info.key.map((k) => `cast(${k} as varchar)`).join(', ');
    const keys = await wh.all(`select ${keyList} from ${qualified(info.schema, info.table)} using sample reservoir(${SAMPLES} rows) repeatable (7)`);
    const ms: number[] = [];
    let nodes = 0;
    for (const k of keys) {
      t = performance.now();
      const n = await lineageOf(wh, info.name, Object.values(k).map(String), { catalog: cat, landingDir });
      ms.push(Math.round(performance.now() - t));
      nodes = Math.max(nodes, JSON.stringify(n).length);
    }
    process.stdout.write(`${info.name.padEnd(26)} ${ms.join(' ').padEnd(30)} ms (largest tree ${(nodes / 1024).toFixed(0)} KiB)\n`);
  }
});
const t = performance.now();
const v = await runVerify({ db, config });
process.stdout.write(`verify: ${v.problems.length} problem(s), ${Math.round(performance.now() - t)} ms\n`);
