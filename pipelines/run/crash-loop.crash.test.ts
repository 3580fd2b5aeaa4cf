// `npm run test:crash`: SIGKILLs the whole nightly job (`jianguan run`: load, transform, checks, history, publish)
// at JIANGUAN_CRASH_KILLS (default 200) seeded random points (JIANGUAN_CRASH_SEED, default 1), in two chains on
// separate warehouse copies. Each chain goes through three days of a generated landing zone (new files each day);
// per day it kills several runs in a row (a crash during crash recovery), then reruns to completion. After EVERY
// kill the published snapshot opens and is the previous one or the killed run's own, with exactly that publish's
// marts; EVERY completed rerun equals a clean run of the same days (per-batch counts, raw/core/mart with except
// all, verify). The figures are printed and written as JSON (JIANGUAN_CRASH_REPORT, default tmp/crash-report.json).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { divergences, SnapshotWatch } from '../../testkit/crash-checks.ts';
import {
  type Attempt,
  buildCli,
  DAYS,
  generateDays,
  KILL_PHASES,
  type KillPhase,
  landDay,
  PHASES,
  type Phase,
  phaseDurations,
  ROOT,
  runOnce,
} from '../../testkit/crash-loop.ts';
import { rng } from '../../testkit/gen.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { runVerify } from '../verify/verify.ts';

const SEED = Number(process.env.JIANGUAN_CRASH_SEED ?? 1);
const KILLS = Number(process.env.JIANGUAN_CRASH_KILLS ?? 200);
const CHAINS = Number(process.env.JIANGUAN_CRASH_CHAINS ?? 2);
/** Kills in a row before a rerun to completion. */
const PER_COMPLETION = Number(process.env.JIANGUAN_CRASH_PER_COMPLETION ?? 5);
const SCALE = Number(process.env.JIANGUAN_CRASH_SCALE ?? 0.4);
const LATER = KILL_PHASES.filter((p) => p !== 'load');
const REPORT = process.env.JIANGUAN_CRASH_REPORT ?? join(ROOT, 'tmp', 'crash-report.json');

/** A closed warehouse with its WAL and snapshot, copied (the clean reference of one day). */
function copyWarehouse(from: string, to: string): string {
  for (const [a, b] of [
    [from, to],
    [`${from}.wal`, `${to}.wal`],
    [snapshotPath(from), snapshotPath(to)],
  ] as const) {
    if (existsSync(a)) copyFileSync(a, b);
  }
  return to;
}

/** CPU seconds used by this process and its finished children (Linux: /proc/self/stat utime..cstime, 100 Hz). */
function cpuSeconds(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return [11, 12, 13, 14].reduce((n, i) => n + Number(f[i] ?? 0), 0) / 100;
}

interface Tally {
  kills: Record<Phase, number>;
  /** Runs that ended on their own before their kill came (each one a completion too). */
  unkilled: number;
  completions: number;
  /** Every divergence found, with the chain, day and run that showed it. */
  problems: string[];
}

describe('the crash loop', () => {
  let dir: string;
  let cleanup: () => void;
  let cli: string;
  let removeCli: () => void;
  let days: Awaited<ReturnType<typeof generateDays>>;
  /** The clean reference warehouse after each day. */
  const refs: string[] = [];
  let durations: Record<KillPhase, number>;
  let cleanMs = 0;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir('jianguan-crash-'));
    ({ cli, remove: removeCli } = buildCli());
    days = await generateDays(join(dir, 'gen'), SCALE);
    const db = join(dir, 'clean/w.duckdb');
    mkdirSync(dirname(db), { recursive: true });
    for (const [k, asOf] of DAYS.entries()) {
      const config = landDay(days.dirs[k]!, join(dir, 'clean/landing'));
      const started = performance.now();
      const a = await runOnce(cli, db, config, asOf, null);
      const ms = performance.now() - started;
      expect(a.exitCode, a.tail).toBe(0);
      // the first day loads the most files: its phases set the range of the kill delays
      if (k === 0) {
        durations = phaseDurations(a, ms);
        cleanMs = ms;
      }
      refs.push(copyWarehouse(db, join(dir, `clean/day-${k}.duckdb`)));
    }
  });
  afterAll(() => {
    removeCli?.();
    cleanup?.();
  });

  async function chain(id: number, kills: number, t: Tally): Promise<void> {
    const next = rng(SEED * 1000 + id);
    let done = 0;
    for (let cycle = 0; done < kills; cycle++) {
      const home = join(dir, `chain-${id}-${cycle}`);
      mkdirSync(home, { recursive: true });
      const db = join(home, 'w.duckdb');
      const watch = new SnapshotWatch(db);
      for (const [k, asOf] of DAYS.entries()) {
        const config = landDay(days.dirs[k]!, join(home, 'landing'));
        const where = `chain ${id} cycle ${cycle} day ${asOf}`;
        const see = async (a: Attempt) => {
          const bad = await watch.check(a.runId, refs[k]!);
          if (bad) t.problems.push(`${where}, run ${a.runId} (${a.killed ? `killed in ${a.phase}` : `exit ${a.exitCode}`}): ${bad}`);
        };
        let completed: Attempt | null = null;
        // the day's new files are loaded by the first runs only: while some may be left, half the kills aim there
        let loading = true;
        for (let i = 0; i < PER_COMPLETION && done < kills; i++) {
          const phase = loading && next() < 0.5 ? 'load' : LATER[Math.floor(next() * LATER.length)]!;
          const a = await runOnce(cli, db, config, asOf, { phase, delayMs: Math.floor(next() * durations[phase]) });
          if (a.phaseAt.transform !== undefined) loading = false;
          await see(a);
          if (a.killed) {
            t.kills[a.phase]++;
            done++;
            continue;
          }
          t.unkilled++;
          completed = a;
          break;
        }
        if (!completed) {
          completed = await runOnce(cli, db, config, asOf, null);
          await see(completed);
        }
        t.completions++;
        if (completed.exitCode !== 0) t.problems.push(`${where}: the rerun exited ${completed.exitCode}: ${completed.tail}`);
        const v = await runVerify({ db, config });
        const found = [
          ...(await divergences(db, refs[k]!)),
          ...v.problems.filter((p) => p.severity === 'error').map((p) => `verify: ${p.kind} ${p.detail}`),
        ];
        for (const d of found) t.problems.push(`${where}, run ${completed.runId}: ${d}`);
      }
      rmSync(home, { recursive: true, force: true });
    }
  }

  it('every kill leaves a whole snapshot, every completed rerun equals a clean run', async () => {
    const t: Tally = { kills: Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>, unkilled: 0, completions: 0, problems: [] };
    const started = performance.now();
    const cpu0 = cpuSeconds();
    await Promise.all(Array.from({ length: CHAINS }, (_, i) => chain(i, Math.floor(KILLS / CHAINS) + (i < KILLS % CHAINS ? 1 : 0), t)));
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const cpu = Math.round(cpuSeconds() - cpu0);
    const killed = Object.values(t.kills).reduce((a, b) => a + b, 0);
    const report = {
      seed: SEED,
      chains: CHAINS,
      days: DAYS.length,
      records_per_day: days.records,
      files_per_day: days.files,
      clean_run_ms: Math.round(cleanMs),
      phase_ms: Object.fromEntries(Object.entries(durations).map(([p, ms]) => [p, Math.round(ms)])),
      kills: killed,
      kills_per_phase: t.kills,
      finished_before_kill: t.unkilled,
      completions: t.completions,
      divergences: t.problems.length,
      problems: t.problems,
      seconds,
      cpu_seconds: cpu,
    };
    mkdirSync(dirname(REPORT), { recursive: true });
    writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
    const rows = [
      ['seed', String(SEED)],
      ...PHASES.map((p) => [`kills in ${p}`, String(t.kills[p])]),
      ['kills', String(killed)],
      ['runs that finished before their kill', String(t.unkilled)],
      ['completed reruns compared', String(t.completions)],
      ['divergences', String(t.problems.length)],
      ['seconds', String(seconds)],
      ['CPU seconds (this process and its children)', String(cpu)],
    ];
    console.log(`crash loop (${REPORT})\n${rows.map(([k, v]) => `  ${k!.padEnd(38)}${v!.padStart(8)}`).join('\n')}`);
    expect(t.problems).toEqual([]);
    expect(killed).toBe(KILLS);
    for (const p of ['load', 'transform', 'publish'] as const) expect(t.kills[p], `kills in ${p}`).toBeGreaterThan(0);
  });
});
