// Lineage speed on a warehouse of the bench's size: the generated landing zone plus a 1,000,000-record licence
// feed, loaded and transformed by the nightly job, then random rows of every mart and core table traced, each in
// a fresh process-level state except for the catalog (as the CLI pays for it once per call, it is timed apart).
// Run: npm run bench:lineage -- [DIR] [RECORDS]   (DIR is kept, so a second run skips the build)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchFeed } from '../fixtures/generator/bench.ts';
import { runFixtures } from '../fixtures/generator/command.ts';
import { silentLogger } from '../lib/log.ts';
import { loadCatalog } from '../pipelines/catalog/catalog.ts';
import { lineageOf } from '../pipelines/lineage/lineage.ts';
import { runNightly } from '../pipelines/run/nightly.ts';
import { runVerify } from '../pipelines/verify/verify.ts';
import { withWarehouse } from '../warehouse/db.ts';
import { qualified } from '../warehouse/sql.ts';
import { freshBundle } from './bundle.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(process.argv[2] ?? '.bench-lineage');
const records = Number(process.argv[3] ?? 1_000_000);
const db = join(dir, 'warehouse.duckdb');
const landing = join(dir, 'landing');
const config = join(landing, 'bench.sources.json');
const SAMPLES = Number(process.env.SAMPLES ?? 5);

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
const samples: { table: string; keys: string[] }[] = [];
await withWarehouse(db, async (wh) => {
  const raw = await wh.scalarNumber('select sum(rows_loaded) from meta.batches');
  let t = performance.now();
  const cat = await loadCatalog(wh);
  process.stdout.write(`raw rows ${raw}; catalog ${Math.round(performance.now() - t)} ms\n`);
  process.stdout.write('in process (catalog loaded once):\n');
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
    samples.push({ table: info.name, keys: keys.map((k) => Object.values(k).map(String).join(',')) });
    process.stdout.write(`  ${info.name.padEnd(26)} ${ms.join(' ').padEnd(30)} ms (largest tree ${(nodes / 1024).toFixed(0)} KiB)\n`);
  }
});

// What an auditor waits for: the whole command, process start included, on the published snapshot.
const cli = join(ROOT, 'bin', 'jianguan.mjs');
process.stdout.write(
  `jianguan lineage, wall clock per call (${freshBundle() ? 'bundled CLI' : 'CLI from TypeScript sources: run `npm run build`'}):\n`,
);
const all: number[] = [];
for (const { table, keys } of samples) {
  const ms: number[] = [];
  for (const key of keys) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, '--db', db, '--config', config, 'lineage', table, key], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`lineage ${table} ${key} exited ${r.status}: ${r.stderr}`);
    ms.push(Math.round(performance.now() - t));
  }
  all.push(...ms);
  process.stdout.write(`  ${table.padEnd(26)} ${ms.join(' ').padEnd(30)} ms\n`);
}
all.sort((a, b) => a - b);
const pct = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))];
process.stdout.write(`  ${all.length} calls: median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${all[all.length - 1]} ms\n`);

const t = performance.now();
const v = await runVerify({ db, config });
process.stdout.write(`verify: ${v.problems.length} problem(s), ${Math.round(performance.now() - t)} ms\n`);
