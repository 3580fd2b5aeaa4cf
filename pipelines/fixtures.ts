// `jianguan fixtures`: write a deterministic, realistic multi-level landing zone (files, sources config,
// manifest) into a directory. Same seed + scale + asOf ⇒ byte-identical output.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../lib/errors.ts';
import { parseDate } from '../schemas/validators/dates.ts';
import { generate } from '../fixtures/generator/generate.ts';
import { CONFIG_FILE, MANIFEST_FILE } from '../fixtures/generator/manifest.ts';

export interface FixturesOptions {
  out: string;
  seed: number;
  scale: number;
  /** Reference date (YYYY-MM-DD); files are extracted at the end of the month before. Default 2024-12-31. */
  asOf?: string;
  /** Add files that must fail as a whole, and a duplicate to be skipped. Off by default: the demo must exit 0. */
  brokenFiles?: boolean;
  /** Plant defective records (default true). */
  defects?: boolean;
}

export interface FixturesSummary {
  out: string;
  config: string;
  manifest: string;
  files: number;
  bytes: number;
  records: number;
  entities: number;
  defects: number;
  warnings: number;
  risks: number;
  overlaps: number;
  cleanEntities: number;
  failedFiles: number;
  elapsedMs: number;
}

export const DEFAULT_AS_OF = '2024-12-31';

function checkOptions(o: FixturesOptions): { asOf: string } {
  if (!o.out) throw new UsageError('fixtures: --out DIR is required');
  if (!Number.isSafeInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) throw new UsageError(`fixtures: --seed must be an integer 0–4294967295, got ${o.seed}`);
  if (!Number.isFinite(o.scale) || o.scale <= 0 || o.scale > 100) throw new UsageError(`fixtures: --scale must be a number in (0, 100], got ${o.scale}`);
  const asOf = o.asOf ?? DEFAULT_AS_OF;
  const d = parseDate(asOf);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !d.ok || d.value !== asOf || asOf < '2023-01-01' || asOf > '2030-12-31') {
    throw new UsageError(`fixtures: --as-of must be a date YYYY-MM-DD between 2023-01-01 and 2030-12-31, got ${asOf}`);
  }
  return { asOf };
}

/** Paths a previous run wrote (from its manifest), so a rerun leaves no stale files behind. */
async function previousOutputs(out: string): Promise<string[]> {
  try {
    const m = JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as { files?: { path?: unknown }[] };
    return (m.files ?? []).map((f) => f.path).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

export async function runFixtures(opts: FixturesOptions): Promise<FixturesSummary> {
  const started = performance.now();
  const { asOf } = checkOptions(opts);
  const out = resolve(opts.out);
  const { files, manifest } = generate({ seed: opts.seed, scale: opts.scale, asOf, brokenFiles: opts.brokenFiles ?? false, defects: opts.defects ?? true });
  const fresh = new Set(files.map((f) => f.path));
  for (const p of await previousOutputs(out)) {
    const abs = resolve(out, p);
    // only ever delete inside the output directory, and only what the old manifest says we wrote
    if (!fresh.has(p) && abs.startsWith(out + sep)) await rm(abs, { force: true });
  }
  let bytes = 0;
  for (const f of files) {
    const abs = join(out, f.path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, f.bytes);
    bytes += f.bytes.length;
  }
  return {
    out,
    config: join(out, CONFIG_FILE),
    manifest: join(out, MANIFEST_FILE),
    files: manifest.files.length,
    bytes,
    records: manifest.records,
    entities: manifest.entities,
    defects: manifest.defects.length,
    warnings: manifest.warnings.length,
    risks: manifest.risks.length,
    overlaps: manifest.overlaps.length,
    cleanEntities: manifest.clean_entities.length,
    failedFiles: manifest.files.filter((f) => f.expect === 'failed').length,
    elapsedMs: Math.round(performance.now() - started),
  };
}
