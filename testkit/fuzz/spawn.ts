// Runs one real `jianguan load` process over a fuzz batch, with a per-file watchdog: the time since the last file
// outcome logged (or since the start) is bounded; past it the process is killed and the batch reported as hung.
// Also collects what must never happen: an undocumented exit code, a stack trace or an internal error on stderr.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const CLI = join(ROOT, 'bin/jianguan.mjs');
const PRELOAD = join(ROOT, 'testkit/fuzz/rss-report.mjs');
/** Process start-up (tsx compiling the sources on a busy machine) on top of the first file's limit. */
const STARTUP_MS = 30_000;

export interface LoadRun {
  exitCode: number | null;
  /** The watchdog killed it: no file outcome within the limit. */
  hung: boolean;
  /** Locations that had a logged outcome. */
  done: Set<string>;
  problems: string[];
  peakRssKiB: number;
  elapsedMs: number;
}

/** Outcome log lines of the loader (pipelines/ingest/load.ts): one per file. */
function isOutcome(j: Record<string, unknown>): boolean {
  return typeof j.file === 'string' && (j.msg === 'batch loaded' || j.msg === 'content already loaded: skipped' || typeof j.code === 'string');
}

/** `cli` and `startupMs` are for the watchdog's own tests (a stand-in process that hangs or crashes). */
export async function runLoadProcess(dir: string, config: string, limitMs: number, o: { cli?: string; startupMs?: number } = {}): Promise<LoadRun> {
  const rssFile = join(dir, 'rss.txt');
  const db = join(dir, 'wh.duckdb');
  const t0 = performance.now();
  const child = spawn(process.execPath, [o.cli ?? CLI, '--db', db, '--config', config, 'load'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      JIANGUAN_THREADS: process.env.JIANGUAN_THREADS ?? '1',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PRELOAD}`.trim(),
      FUZZ_RSS_FILE: rssFile,
    },
  });
  const done = new Set<string>();
  const problems: string[] = [];
  let hung = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, ms);
  };
  arm((o.startupMs ?? STARTUP_MS) + limitMs);
  let pending = '';
  const onLine = (line: string) => {
    if (!line.trim()) return;
    let j: Record<string, unknown> | null = null;
    try {
      j = JSON.parse(line) as Record<string, unknown>;
    } catch {
      if (/^\s+at /.test(line)) problems.push(`stack trace on stderr: ${line.trim()}`);
      else if (!line.startsWith('jianguan: ')) problems.push(`unexpected stderr line: ${line.slice(0, 300)}`);
      return;
    }
    if (j.stack) problems.push(`stack trace logged: ${String(j.msg).slice(0, 300)}`);
    if (j.code === 'internal-error' || j.msg === 'batch failed while writing') problems.push(`${j.code ?? 'error'}: ${String(j.msg).slice(0, 300)}`);
    if (isOutcome(j)) {
      done.add(String(j.file));
      arm(limitMs);
    }
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    pending += s;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  });
  const exitCode = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  clearTimeout(timer);
  onLine(pending);
  if (!hung && exitCode !== 0 && exitCode !== 3) problems.push(`exit code ${exitCode} (a load of damaged files exits 0 or 3)`);
  const rss = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').map(Number) : [];
  return { exitCode, hung, done, problems, peakRssKiB: Math.max(0, ...rss), elapsedMs: performance.now() - t0 };
}
