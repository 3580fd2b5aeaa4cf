// `npm run fuzz [-- options]`: the input fuzzer (testkit/fuzz/). Damages generated landing files and loads them
// through the real `jianguan load`, checking that no file hangs, crashes or goes missing and that every record read
// is loaded or rejected. Exit 0 when no failure (known, allow-listed bugs are counted apart), 1 otherwise.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONNECTORS } from '../schemas/sources-config.ts';
import type { ConnectorKind } from '../testkit/fuzz/mutators.ts';
import { replay } from '../testkit/fuzz/replay.ts';
import { type FuzzOptions, runFuzz } from '../testkit/fuzz/runner.ts';

const USAGE = `usage: npm run fuzz -- [--seed N] [--count N] [--connectors csv,json,ndjson,xlsx,parquet] [--mutators a,b] [--big|--no-big] [--per-file-ms N]
                      [--batch-size N] [--work DIR] [--failures DIR] [--report FILE] [--json] | --replay recipe.json`;

const { values: v } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? '1' },
    count: { type: 'string', default: process.env.FUZZ_COUNT ?? '10000' },
    mutators: { type: 'string', default: process.env.FUZZ_MUTATORS },
    connectors: { type: 'string', default: process.env.FUZZ_CONNECTORS },
    big: { type: 'boolean' },
    'no-big': { type: 'boolean' },
    'per-file-ms': { type: 'string', default: process.env.FUZZ_PER_FILE_MS ?? '20000' },
    'batch-size': { type: 'string', default: '200' },
    work: { type: 'string', default: join(tmpdir(), `jianguan-fuzz-${process.pid}`) },
    failures: { type: 'string', default: 'fuzz-failures' },
    replay: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (v.help) {
  console.log(USAGE);
  process.exit(0);
}
const num = (name: string, s: string): number => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz: --${name} must be a whole number, got ${s}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const count = num('count', v.count);
const connectors = v.connectors?.split(',') as ConnectorKind[] | undefined;
const unknown = connectors?.filter((c) => !(CONNECTORS as readonly string[]).includes(c)) ?? [];
if (unknown.length) {
  console.error(`fuzz: --connectors: unknown ${unknown.join(', ')} (known: ${CONNECTORS.join(', ')})\n${USAGE}`);
  process.exit(2);
}
const o: FuzzOptions = {
  seed: num('seed', v.seed),
  count,
  ...(v.mutators ? { mutators: v.mutators.split(',') } : {}),
  ...(connectors ? { connectors } : {}),
  // the big inputs (100 MB field, 10,000 columns, 1 GB line) come with a full run, or when asked
  big: v['no-big'] ? false : (v.big ?? count >= 10_000),
  perFileMs: num('per-file-ms', v['per-file-ms']),
  batchSize: Math.max(1, num('batch-size', v['batch-size'])),
  work: resolve(v.work),
  failures: resolve(v.failures),
  log: (line) => console.error(line),
  ...(v.report ? { reportFile: resolve(v.report) } : {}),
};

if (v.replay) {
  const r = await replay(resolve(v.replay), o);
  console.log(
    JSON.stringify(
      { mutator: r.recipe.mutator, note: r.recipe.note, outcome: r.outcome.outcome, problems: r.outcome.problems, known_bug: r.known },
      null,
      2,
    ),
  );
  process.exit(r.outcome.problems.length && !r.known ? 1 : 0);
}

const r = await runFuzz(o);
if (v.json) console.log(JSON.stringify(r, null, 2));
else {
  console.log(
    `fuzz: ${r.files} files in ${r.batches} load processes, ${(r.elapsedMs / 1000).toFixed(1)} s, peak RSS ${Math.round(r.peakRssKiB / 1024)} MiB`,
  );
  for (const [m, outs] of Object.entries(r.outcomes).sort()) {
    console.log(
      `  ${m.padEnd(22)} ${Object.entries(outs)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  }
  for (const b of r.bigFiles)
    console.log(
      `  big: ${b.mutator} ${b.bytes} bytes: ${b.outcome} in ${(b.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(b.peakRssKiB / 1024)} MiB`,
    );
  for (const [k, n] of Object.entries(r.known)) console.log(`  known bug (allow-listed): ${k} × ${n}`);
  for (const f of r.failures)
    console.log(`FAIL ${f.recipe.mutator} ${f.location}: ${f.problems.join('; ')}\n     replay: npm run fuzz -- --replay ${f.saved}`);
}
process.exit(r.failures.length ? 1 : 0);
