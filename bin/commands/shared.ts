// What every command module shares: the lazily imported pipeline modules, the global options, printing.
import type { Command } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import { snakeKeys } from '../../lib/json-keys.ts';
import type { Logger } from '../../lib/log.ts';
import { createProgress } from '../../lib/progress.ts';

// Option and argument parsers: a bad value is a usage error (exit 2) at parse time, before anything is opened,
// saying `option --x: what is wrong, e.g. a good value`. Commander calls them as (value, previous).

/** A usage error naming the option (`--concurrency`) or argument (`<id>`) and a value that would do. */
function bad(what: string, value: string, problem: string, example: string): UsageError {
  const name = what.startsWith('-') ? `option ${what}` : `argument ${what}`;
  return new UsageError(`${name}: ${JSON.stringify(value)} ${problem}, e.g. ${example}`);
}

/** A whole number ≥ `min` (1 for a count, 0 where none is meaningful). */
function wholeNumber(what: string, min: number, example: number): (v: string) => number {
  return (v: string) => {
    const n = /^[+]?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw bad(what, v, `is not a whole number${min > 0 ? ` ≥ ${min}` : ''}`, String(example));
    if (n < min) throw bad(what, v, `is ${min === 1 ? 'not positive' : `below ${min}`}`, String(example));
    return n;
  };
}

export const positiveInt = (what: string, example: number) => wholeNumber(what, 1, example);
export const nonNegativeInt = (what: string, example: number) => wholeNumber(what, 0, example);

/** A positive decimal number (a scale factor). */
export function positiveNumber(what: string, example: string): (v: string) => number {
  return (v: string) => {
    const n = /^\s*\d+(\.\d+)?\s*$|^\s*\.\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!(n > 0) || !Number.isFinite(n)) throw bad(what, v, 'is not a positive number', example);
    return n;
  };
}

/** A calendar date that exists, YYYY-MM-DD (`compact` also allows YYYYMMDD); returned as given. */
export function isoDate(what: string, o: { compact?: boolean } = {}): (v: string) => string {
  return (v: string) => {
    const m = (o.compact ? /^(\d{4})-?(\d{2})-?(\d{2})$/ : /^(\d{4})-(\d{2})-(\d{2})$/).exec(v);
    const example = o.compact ? '2024-11-30 or 20241130' : '2024-11-30';
    if (!m) throw bad(what, v, `is not a date YYYY-MM-DD${o.compact ? ' or YYYYMMDD' : ''}`, example);
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
      throw bad(what, v, 'is not a day of the calendar', example);
    }
    return v;
  };
}

/** A memory size as DuckDB takes it: a positive number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB). */
export function memorySize(what: string, example: string): (v: string) => string {
  return (v: string) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$/i.exec(v);
    if (!m || !(Number(m[1]) > 0)) throw bad(what, v, 'is not a memory size (a positive number and a unit: KB, MB, GB, TB, KiB, …)', example);
    return `${m[1]}${m[2]}`;
  };
}

/** A run id: a positive whole number (meta.runs.run_id). */
export const runId = (what: string) => positiveInt(what, 12);

// Each command loads only the modules it needs: starting the CLI stays fast whatever the command.
export const lazy = {
  fixtures: () => import('../../fixtures/generator/command.ts'),
  init: () => import('../../pipelines/run/init.ts'),
  load: () => import('../../pipelines/run/load-command.ts'),
  risk: () => import('../../pipelines/transform/risk-config.ts'),
  summary: () => import('../../pipelines/transform/risk-summary.ts'),
  run: () => import('../../pipelines/run/nightly.ts'),
  schedule: () => import('../../pipelines/run/schedule.ts'),
  scheduleLock: () => import('../../pipelines/run/schedule-lock.ts'),
  graph: () => import('../../pipelines/transform/graph-show.ts'),
  lineage: () => import('../../pipelines/lineage/lineage.ts'),
  lineageFormat: () => import('../../pipelines/lineage/format.ts'),
  query: () => import('../../pipelines/serve/query.ts'),
  runShow: () => import('../../pipelines/audit/manifest-show.ts'),
  runShowFormat: () => import('../../pipelines/audit/manifest-format.ts'),
  verify: () => import('../../pipelines/verify/verify.ts'),
  verifyFormat: () => import('../../pipelines/verify/format.ts'),
  runs: () => import('../../pipelines/serve/runs.ts'),
  transform: () => import('../../pipelines/run/transform-command.ts'),
  status: () => import('../../pipelines/serve/status.ts'),
};

export interface Globals {
  db: string;
  config: string;
  json: boolean;
  logLevel: string;
  anchorFile?: string;
}

/** What a command module gets from the program: the global options, the config if it exists, the logger. */
export interface Ctx {
  program: Command;
  g: () => Globals;
  configIfAny: () => string | undefined;
  getLog: (level: string) => Logger;
}

/** Every `--json` output goes through here: its keys become snake_case (lib/json-keys.ts). */
export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(snakeKeys(value), null, 2) : human()}\n`);
}

/** What a reader says besides its rows: a run in progress or gone, a live read it fell back to. */
export function readerLines(r: { run_in_progress: { message: string } | null; note: string | null }): string[] {
  return [...(r.run_in_progress ? [r.run_in_progress.message] : []), ...(r.note ? [`note: ${r.note}`] : [])];
}

export function progressFor() {
  const bar = createProgress();
  return {
    bar,
    onProgress: (p: { filesDone: number; files: number; records: number }) =>
      bar.update(`loading: ${p.filesDone}/${p.files} files, ${p.records.toLocaleString('en')} records`),
  };
}
