// The fuzz runner: draws (template, mutator, seed) items from one seed, loads them in batches through the real
// `jianguan load` process (many files per process: start-up is paid once per batch), checks the invariants, and
// narrows a process-level failure (a hang, a crash, a stack trace) down to its file by loading the suspects alone.
// Every failing input is saved with its recipe; `--replay recipe.json` loads it again.
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../fixtures/generator/prng.ts';
import { CONNECTORS } from '../../schemas/sources-config.ts';
import { knownBug } from './allow.ts';
import { checkWarehouse, type Outcome } from './check.ts';
import { buildCorpus } from './corpus.ts';
import { type ConnectorKind, MUTATORS } from './mutators.ts';
import { runLoadProcess } from './spawn.ts';
import { templatesFor } from './templates.ts';
import type { Mutator, Recipe, Template } from './types.ts';
import { fileChecks, type Item, layOut, type Placed } from './zone.ts';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Mutator names to draw from (default: every small one). */
  mutators?: string[];
  /** Include the big inputs (100 MB field, 10,000 columns, 1 GB line), one each. */
  big: boolean;
  perFileMs: number;
  batchSize: number;
  /** Scratch folder (corpus, batches); failing inputs go to `failures`. */
  work: string;
  failures: string;
  /** Connectors to fuzz (default: every one); items are drawn from them in turn. */
  connectors?: ConnectorKind[];
  log?: (line: string) => void;
  /** Written after every batch: the report so far (a long run interrupted still has its figures). */
  reportFile?: string;
}

export interface Failure {
  recipe: Recipe;
  location: string;
  outcome: string;
  problems: string[];
  saved: string;
}

export interface FuzzReport {
  files: number;
  batches: number;
  elapsedMs: number;
  peakRssKiB: number;
  /** mutator → outcome (`loaded`, `failed:<code>`, `skipped`, `known:<bug>`, `FAIL`) → files. */
  outcomes: Record<string, Record<string, number>>;
  failures: Failure[];
  known: Record<string, number>;
  bigFiles: { mutator: string; bytes: number; ms: number; peakRssKiB: number; outcome: string }[];
}

/** Bytes per second a file is given on top of the per-file limit (a big file may take its time, not forever). */
const SLOW_BYTES_PER_MS = 5_000;

export type TemplateSets = Partial<Record<ConnectorKind, Template[]>>;

export function drawItems(o: FuzzOptions, sets: TemplateSets): Item[] {
  const pick = (xs: Mutator[]) => (o.mutators ? xs.filter((x) => o.mutators!.includes(x.name)) : xs);
  const kinds = (o.connectors ?? CONNECTORS).filter((c) => sets[c]?.length && pick(MUTATORS[c].small).length);
  const rng = new Rng(o.seed);
  const items: Item[] = [];
  for (let i = 0; i < o.count && kinds.length; i++) {
    const c = kinds[i % kinds.length]!;
    items.push({ index: i, template: rng.pick(sets[c]!), mutator: rng.pick(pick(MUTATORS[c].small)), seed: rng.u32() });
  }
  // the big ones grow from the largest template (its header and first record)
  if (o.big)
    for (const c of o.connectors ?? CONNECTORS) {
      const largest = [...(sets[c] ?? [])].sort((a, b) => b.bytes.length - a.bytes.length)[0];
      if (largest) for (const b of pick(MUTATORS[c].big)) items.push({ index: items.length, template: largest, mutator: b, seed: rng.u32() });
    }
  return items;
}

/** The corpus of CSV templates and, made from it, the templates of every other connector fuzzed. */
export async function buildSets(o: Pick<FuzzOptions, 'connectors' | 'work'>, corpusSeed: number): Promise<TemplateSets> {
  const csv = await buildCorpus(join(o.work, 'corpus'), corpusSeed);
  const sets: TemplateSets = {};
  for (const c of o.connectors ?? CONNECTORS) sets[c] = await templatesFor(c, csv, join(o.work, 'scratch'));
  return sets;
}

function batchesOf(items: Item[], size: number): Item[][] {
  const small = items.filter((i) => !i.mutator.big);
  const out: Item[][] = [];
  for (let k = 0; k < small.length; k += size) out.push(small.slice(k, k + size));
  for (const b of items.filter((i) => i.mutator.big)) out.push([b]);
  return out;
}

interface BatchResult {
  placed: Placed[];
  outcomes: Outcome[];
  peakRssKiB: number;
  elapsedMs: number;
}

/** Loads one batch in one process and checks it; a process-level problem is pinned on files by loading them alone. */
export async function runBatch(o: FuzzOptions, corpusSeed: number, items: Item[], dir: string, inputs?: Map<number, Buffer>): Promise<BatchResult> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { config, placed } = await layOut(dir, items, corpusSeed, inputs);
  const limit = o.perFileMs + Math.max(...placed.map((p) => p.size)) / SLOW_BYTES_PER_MS;
  const run = await runLoadProcess(dir, config, limit);
  const checked = existsSync(join(dir, 'wh.duckdb'))
    ? await checkWarehouse(join(dir, 'wh.duckdb'), fileChecks(placed))
    : placed.map((p) => ({ location: p.location, outcome: 'absent', problems: ['no warehouse written'], nulStored: false }));
  let outcomes = checked;
  const processProblems = [...run.problems, ...(run.hung ? [`no file outcome within ${Math.round(limit)} ms: killed (hang)`] : [])];
  if (processProblems.length) {
    if (items.length === 1) outcomes = checked.map((c) => ({ ...c, problems: [...processProblems, ...c.problems] }));
    else {
      // the suspects: files without an outcome, else every file; each is loaded alone to find the culprit
      const suspects = placed.filter((p) => !run.done.has(p.location));
      const alone = suspects.length ? suspects : placed;
      const byLoc = new Map<string, Outcome>();
      for (const s of alone.slice(0, 20)) {
        const r = await runBatch(o, corpusSeed, [s.item], join(dir, `alone-${s.item.index}`), inputs);
        byLoc.set(s.location, r.outcomes[0]!);
      }
      outcomes = checked.map((c) => {
        const a = byLoc.get(c.location);
        // a file that loads fine alone was only caught in the batch's failure
        return a
          ? { ...a, location: c.location }
          : c.outcome === 'absent'
            ? { ...c, problems: [`not loaded: the batch process failed (${processProblems[0]})`] }
            : c;
      });
    }
  }
  return { placed, outcomes, peakRssKiB: run.peakRssKiB, elapsedMs: run.elapsedMs };
}

function save(o: FuzzOptions, p: Placed, out: Outcome): string {
  const dir = join(o.failures, `${o.seed}-${p.item.index}-${p.item.mutator.name}`);
  mkdirSync(dir, { recursive: true });
  // a streamed big input is made again from its recipe, not copied
  if (existsSync(p.path) && statSync(p.path).size <= 16 << 20) cpSync(p.path, join(dir, 'input'));
  writeFileSync(
    join(dir, 'recipe.json'),
    JSON.stringify({ ...p.recipe, index: p.item.index, outcome: out.outcome, problems: out.problems }, null, 2),
  );
  return join(dir, 'recipe.json');
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  mkdirSync(o.work, { recursive: true });
  const corpusSeed = 7;
  const items = drawItems(o, await buildSets(o, corpusSeed));
  const report: FuzzReport = { files: 0, batches: 0, elapsedMs: 0, peakRssKiB: 0, outcomes: {}, failures: [], known: {}, bigFiles: [] };
  for (const [k, batch] of batchesOf(items, o.batchSize).entries()) {
    const dir = join(o.work, `batch-${k}`);
    const r = await runBatch(o, corpusSeed, batch, dir);
    report.batches++;
    report.peakRssKiB = Math.max(report.peakRssKiB, r.peakRssKiB);
    for (const [i, p] of r.placed.entries()) {
      const out = r.outcomes[i]!;
      report.files++;
      const bug = out.problems.length || out.nulStored ? knownBug(p.item.mutator.name, out) : null;
      let key = out.outcome;
      if (bug) {
        key = `known:${bug}`;
        report.known[bug] = (report.known[bug] ?? 0) + 1;
      } else if (out.problems.length || out.nulStored) {
        key = 'FAIL';
        const problems = out.nulStored ? [...out.problems, 'a NUL character stored in raw'] : out.problems;
        report.failures.push({ recipe: p.recipe, location: p.location, outcome: out.outcome, problems, saved: save(o, p, { ...out, problems }) });
        log(`FAIL ${p.item.mutator.name} #${p.item.index} (${p.recipe.template}): ${out.outcome}: ${problems.join('; ')}`);
      }
      report.outcomes[p.item.mutator.name] ??= {};
      const m = report.outcomes[p.item.mutator.name]!;
      m[key] = (m[key] ?? 0) + 1;
      if (p.item.mutator.big)
        report.bigFiles.push({ mutator: p.item.mutator.name, bytes: p.size, ms: Math.round(r.elapsedMs), peakRssKiB: r.peakRssKiB, outcome: key });
    }
    rmSync(dir, { recursive: true, force: true });
    report.elapsedMs = performance.now() - t0;
    if (o.reportFile) writeFileSync(o.reportFile, JSON.stringify(report, null, 2));
    log(`batch ${k}: ${report.files}/${items.length} files, ${report.failures.length} failures, ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  report.elapsedMs = performance.now() - t0;
  return report;
}
