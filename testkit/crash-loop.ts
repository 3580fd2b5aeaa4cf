// The crash loop's pieces (pipelines/run/crash-loop.crash.test.ts): a private build of the CLI bundle (a start in
// ~0.2 s instead of compiling TypeScript), the generated landing zone of several days, and one `jianguan run`
// that is SIGKILLed a drawn delay after the log line that starts a drawn phase. The phase a killed run was in is
// read from the last log line it printed (the kernel logs `<step> started` at debug level).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFixtures } from '../fixtures/generator/command.ts';

export const ROOT = new URL('..', import.meta.url).pathname;

/** Where a killed run was, by its last log line. `start`: before its first step (open, migrate). */
export const PHASES = ['start', 'load', 'transform', 'checks', 'history', 'publish', 'finish'] as const;
export type Phase = (typeof PHASES)[number];
/** The phases kills are aimed at. */
export const KILL_PHASES = ['load', 'transform', 'checks', 'history', 'publish'] as const;
export type KillPhase = (typeof KILL_PHASES)[number];

/** The phase a JSON log line of `jianguan run` belongs to (null: a line that does not say). */
export function phaseOf(line: { step?: unknown; msg?: unknown }): Phase | null {
  switch (line.step) {
    case 'openlineage-start':
      return 'start';
    case 'work':
    case 'load':
      return 'load';
    case 'transform':
      return 'transform';
    case 'checks':
    case 'history':
    case 'publish':
      return line.step;
    case 'finish':
    case 'manifest':
    case 'openlineage':
      return 'finish';
  }
  return line.msg === 'snapshot published' ? 'publish' : null;
}

/**
 * Bundles the CLI into `<root>/tmp/crash-cli-<pid>` (inside the package, so the bundle finds sql/ from there; never
 * the shared node_modules cache) and writes a shim that runs it. Returns the shim's path and a remover.
 */
export function buildCli(): { cli: string; remove: () => void } {
  const dir = join(ROOT, 'tmp', `crash-cli-${process.pid}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/build.mjs'), join(dir, 'bundle')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the CLI failed: ${r.stderr}`);
  const cli = join(dir, 'cli.mjs');
  writeFileSync(cli, "const { main } = await import('./bundle/cli.mjs');\nawait main(process.argv);\n");
  return { cli, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The days of the zone: each a landing zone generated as of that date (its files carry the date in their names). */
export const DAYS = ['2024-10-31', '2024-11-30', '2024-12-31'] as const;
const REGIONS = new Set(['130000', '130102']);

/** Generates each day's files into `<dir>/day-<i>` (province and one county, all seven feeds); returns the dirs. */
export async function generateDays(dir: string, scale: number): Promise<{ dirs: string[]; records: number[]; files: number[] }> {
  const dirs: string[] = [];
  const records: number[] = [];
  const files: number[] = [];
  for (const [i, asOf] of DAYS.entries()) {
    const out = join(dir, `day-${i}`);
    const f = await runFixtures({ out, seed: 5, scale, asOf });
    const cfg = JSON.parse(readFileSync(f.config, 'utf8')) as { sources: { region_code: string }[] };
    cfg.sources = cfg.sources.filter((s) => REGIONS.has(s.region_code));
    writeFileSync(f.config, JSON.stringify(cfg, null, 2));
    const m = JSON.parse(readFileSync(f.manifest, 'utf8')) as { files: { path: string; records: number }[] };
    const kept = m.files.filter((x) => REGIONS.has(x.path.split('/')[1] ?? ''));
    dirs.push(out);
    records.push(kept.reduce((n, x) => n + x.records, 0));
    files.push(kept.length);
  }
  return { dirs, records, files };
}

/** Day `i`'s files added to a landing zone (earlier days' files stay, as in a real landing directory). */
export function landDay(dayDir: string, landing: string): string {
  cpSync(dayDir, landing, { recursive: true });
  return join(landing, 'jianguan.sources.json');
}

export interface Attempt {
  /** Killed by our SIGKILL, or ended on its own (with `exitCode`). */
  killed: boolean;
  exitCode: number | null;
  /** The phase of the last log line it printed. */
  phase: Phase;
  /** Its run id, once a line said it. */
  runId: number | null;
  /** Milliseconds since the spawn at which each phase's first line came. */
  phaseAt: Partial<Record<Phase, number>>;
  tail: string;
}

/**
 * `jianguan run` on `db`; with `kill`, SIGKILLed `delayMs` after the first log line of `kill.phase` (if the run gets
 * there and is still running).
 */
export function runOnce(cli: string, db: string, config: string, asOf: string, kill: { phase: KillPhase; delayMs: number } | null): Promise<Attempt> {
  const argv = [cli, '--db', db, '--config', config, '--log-level', 'debug', 'run', '--as-of', asOf];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, JIANGUAN_THREADS: '1' } });
    const a: Attempt = { killed: false, exitCode: null, phase: 'start', runId: null, phaseAt: {}, tail: '' };
    let pending = '';
    let armed = false;
    child.stderr.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) {
        a.tail = l;
        let line: { step?: unknown; msg?: unknown; run?: unknown };
        try {
          line = JSON.parse(l) as typeof line;
        } catch {
          continue;
        }
        if (typeof line.run === 'number') a.runId = line.run;
        const p = phaseOf(line);
        if (!p) continue;
        a.phase = p;
        a.phaseAt[p] ??= performance.now() - started;
        if (kill && !armed && p === kill.phase) {
          armed = true;
          setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) a.killed = child.kill('SIGKILL');
          }, kill.delayMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      a.exitCode = code;
      a.killed = signal === 'SIGKILL';
      resolve(a);
    });
  });
}

/** How long each kill phase lasted in a run that was not killed (from its first line to the next phase's). */
export function phaseDurations(a: Attempt, total: number): Record<KillPhase, number> {
  const order = PHASES.filter((p) => a.phaseAt[p] !== undefined);
  const out = {} as Record<KillPhase, number>;
  for (const p of KILL_PHASES) {
    const at = a.phaseAt[p];
    const next = order[order.indexOf(p) + 1];
    out[p] = at === undefined ? 0 : Math.max(1, (next ? (a.phaseAt[next] ?? total) : total) - at);
  }
  return out;
}
