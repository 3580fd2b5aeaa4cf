// npm run bench: ingest throughput next to DuckDB's own read_csv of the same file, measured in one run.
// Each step runs in a child process (its peak RSS is its own). Figures drift ±20–40% between runs on a
// shared machine; compare the ratios printed here, measured minutes apart on the same files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBenchFeed } from '../fixtures/generator/bench.ts';
import { table } from '../lib/format.ts';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DIR = resolve(process.env.BENCH_DIR ?? join(ROOT, '.bench'));
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BIG_BYTES = Number(process.env.BENCH_BIG_BYTES ?? 2 * 2 ** 30);

interface Measure {
  mode: string;
  records: number;
  seconds: number;
  peakRssMiB: number;
}

function measure(mode: 'jianguan' | 'native' | 'transform', input: string, db: string): Measure {
  if (mode !== 'transform') {
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/run-ts.mjs'), join(ROOT, 'bin/bench-measure.ts'), mode, input, db], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measure;
}

async function feed(name: string, records: number, encoding: 'utf-8' | 'gbk') {
  const dir = join(DIR, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `license_${encoding}.csv`);
  const t0 = performance.now();
  const r = await writeBenchFeed({ path: file, records, encoding, seed: 7, landingDir: dir });
  const config = join(dir, 'sources.json');
  writeFileSync(config, JSON.stringify({ landing_dir: '.', sources: [r.sourceConfig] }, null, 2));
  process.stderr.write(
    `generated ${name}: ${records.toLocaleString('en')} records, ${(r.bytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return { file, config, bytes: statSync(file).size, records };
}

mkdirSync(DIR, { recursive: true });
const rows: (string | number)[][] = [];
let transformLine = '';
const utf8 = await feed('utf8', RECORDS, 'utf-8');
const gbk = await feed('gbk', RECORDS, 'gbk');
for (const [label, f, nativeInput] of [
  ['UTF-8', utf8, utf8.file],
  // DuckDB cannot read GBK itself: its baseline is read_csv of the same records in UTF-8.
  ['GBK', gbk, utf8.file],
] as const) {
  const native = measure('native', nativeInput, join(DIR, 'native.duckdb'));
  const ours = measure('jianguan', f.config, join(DIR, 'jianguan.duckdb'));
  const mb = f.bytes / 1e6;
  if (label === 'UTF-8') {
    const t = measure('transform', '-', join(DIR, 'jianguan.duckdb'));
    transformLine = `transform of the UTF-8 warehouse (staging → core → marts): ${t.seconds.toFixed(1)} s, ${(t.seconds / ours.seconds).toFixed(2)}× its ingest time (target ≤ 2), peak RSS ${Math.round(t.peakRssMiB)} MiB`;
  }
  rows.push([
    label,
    f.records,
    (mb / ours.seconds).toFixed(1),
    Math.round(ours.records / ours.seconds),
    Math.round(ours.peakRssMiB),
    Math.round(native.records / native.seconds),
    (native.seconds / ours.seconds).toFixed(2),
  ]);
}
if (BIG_BYTES > 0) {
  const perRecord = utf8.bytes / utf8.records;
  const big = await feed('big', Math.ceil(BIG_BYTES / perRecord), 'utf-8');
  const native = measure('native', big.file, join(DIR, 'native.duckdb'));
  const ours = measure('jianguan', big.config, join(DIR, 'jianguan.duckdb'));
  rows.push([
    `UTF-8 ${(big.bytes / 2 ** 30).toFixed(1)} GiB`,
    big.records,
    (big.bytes / 1e6 / ours.seconds).toFixed(1),
    Math.round(ours.records / ours.seconds),
    Math.round(ours.peakRssMiB),
    Math.round(native.records / native.seconds),
    (native.seconds / ours.seconds).toFixed(2),
  ]);
}
rmSync(join(DIR, 'jianguan.duckdb'), { force: true });
rmSync(join(DIR, 'native.duckdb'), { force: true });
process.stdout.write(
  `\nValidated ingest with lineage (jianguan load) vs DuckDB read_csv into a plain table, same machine, same run:\n\n${table(
    ['feed', 'records', 'MB/s', 'records/s', 'peak RSS MiB', 'read_csv records/s', 'ratio'],
    rows,
  )}\n\nratio = jianguan rate / read_csv rate (target ≥ 0.33); peak RSS target < 1024 MiB for the 2 GiB input.\n${transformLine}\n`,
);
