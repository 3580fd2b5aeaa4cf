// `jianguan schedule` as a process: it runs the nightly job on its cron schedule, never two runs at once, stops
// cleanly on SIGTERM after the run in progress, keeps a second schedule off the warehouse (exit 75) and clears a
// lock left by a dead one. And a `run` killed mid-way is recorded abandoned, with its pid, by the next run.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { licenceZone } from '../../testkit/licence-zone.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { scheduleLockPath } from './schedule-lock.ts';

const CLI = join(new URL('../..', import.meta.url).pathname, 'bin/jianguan.mjs');
const env = { ...process.env, NO_COLOR: '1', JIANGUAN_FROM_SOURCE: '1' };

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when `n` log lines have matched `re`. */
  lines: (re: RegExp, n: number) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, '--log-level', 'info', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const waiters: { re: RegExp; n: number; done: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if ((err.match(new RegExp(w.re.source, 'g')) ?? []).length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
  };
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    check();
  });
  child.stdout?.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => err,
    lines: (re, n) =>
      new Promise((done, fail) => {
        waiters.push({ re, n, done });
        exit.then(() => fail(new Error(`exited before ${n}× ${re}:\n${err}`)));
        check();
      }),
    exit,
  };
}

const ENDED = /ended with exit code \d+/;

describe('jianguan schedule', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let cfg: string;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    db = join(dir, 'w.duckdb');
    cfg = licenceZone(dir, 2, 50);
  });
  afterEach(() => cleanup());

  it('runs the nightly job on an every-second schedule, never overlapping; a second schedule exits 75; SIGTERM stops it with 0', async () => {
    const p = start(['--db', db, '--config', cfg, 'schedule', '--cron', '* * * * * *']);
    await p.lines(ENDED, 2);
    const second = spawnSync(process.execPath, [CLI, '--db', db, '--config', cfg, 'schedule', '--cron', '* * * * * *'], { env, encoding: 'utf8' });
    expect(second.status).toBe(75);
    expect(second.stderr).toContain('[schedule-locked]');
    expect(second.stderr).toContain(`PID ${p.child.pid}`);
    p.child.kill('SIGTERM');
    expect(await p.exit).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toMatch(/next run at \d{4}-/);
    expect(existsSync(scheduleLockPath(db))).toBe(false);
    const runs = await withWarehouse(db, (wh) =>
      wh.all(`select run_id, status, exit_code, epoch_ms(started_at) as s, epoch_ms(finished_at) as f, args->>'as_of' as as_of
              from meta.runs order by run_id`),
    );
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // the SIGTERM waited for the run in progress: every run finished, none left running
    expect(runs.map((r) => [r.status, r.exit_code])).toEqual(runs.map(() => ['succeeded', 0]));
    for (let i = 1; i < runs.length; i++) expect(Number(runs[i]!.s)).toBeGreaterThanOrEqual(Number(runs[i - 1]!.f));
    expect(runs[0]!.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // the first run loaded both files; the later ones found nothing new
    const batches = await withWarehouse(db, (wh) =>
      wh.all("select run_id, count(*)::int as n from meta.batches where status = 'loaded' group by all"),
    );
    expect(batches).toEqual([{ run_id: runs[0]!.run_id, n: 2 }]);
  });

  it('clears a schedule lock whose process is dead, runs at once with --now, and stops on SIGINT', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(scheduleLockPath(db), JSON.stringify({ pid: dead, host: hostname(), started: '2024-01-01T00:00:00Z' }));
    const p = start(['--db', db, '--config', cfg, 'schedule', '--cron', '0 0 1 1 *', '--now']);
    await p.lines(ENDED, 1);
    p.child.kill('SIGINT');
    expect(await p.exit).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toContain(`cleared a stale schedule lock of PID ${dead}`);
    expect(p.stderr()).toMatch(/next run at \d{4}-01-01 00:00:00 Asia\/Shanghai/);
    expect(existsSync(scheduleLockPath(db))).toBe(false);
  });

  it('a bad expression or time zone is a usage error (exit 2) before anything is opened', () => {
    for (const [args, message] of [
      [['--cron', '61 2 * * *'], 'option --cron: "61 2 * * *" is not a cron expression'],
      [['--cron', '30 2 * * *', '--tz', 'Mars/Base'], 'option --tz: "Mars/Base" is not an IANA time zone'],
    ] as const) {
      const r = spawnSync(process.execPath, [CLI, '--db', db, '--config', cfg, 'schedule', ...args], { env, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(existsSync(db) || existsSync(scheduleLockPath(db))).toBe(false);
  });

  it('a live lock of another process is kept: exit 75 naming its pid', () => {
    writeFileSync(scheduleLockPath(db), JSON.stringify({ pid: process.pid, host: hostname(), started: '2024-01-01T00:00:00Z' }));
    const r = spawnSync(process.execPath, [CLI, '--db', db, '--config', cfg, 'schedule', '--cron', '0 0 1 1 *', '--now'], { env, encoding: 'utf8' });
    expect(r.status).toBe(75);
    expect(r.stderr).toContain(`PID ${process.pid}`);
    expect(existsSync(db)).toBe(false);
  });

  it('a run killed mid-way is recorded abandoned, with its pid, by the next run', async () => {
    cfg = licenceZone(dir, 4, 3000);
    const p = start(['--db', db, '--config', cfg, '--log-level', 'debug', 'run']);
    await p.lines(/"step":"load"/, 1);
    p.child.kill('SIGKILL');
    expect((await p.exit).signal).toBe('SIGKILL');
    const again = spawnSync(process.execPath, [CLI, '--db', db, '--config', cfg, 'run'], { env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    const runs = await withWarehouse(db, (wh) => wh.all('select run_id, status, pid, error from meta.runs order by run_id'));
    expect(runs.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
    expect(runs[0]!.pid).toBe(p.child.pid);
    expect(String(runs[0]!.error)).toContain(`process ${p.child.pid} on ${hostname()} stopped before the run finished`);
  });
});
