// `jianguan schedule`: the nightly job (`fire`, the same code path as `jianguan run`) in-process on a cron
// schedule, for hosts without cron. Firings never overlap: one due while a run is still going is skipped and
// logged (croner's `protect`). A run that fails is logged with its exit code and the schedule goes on. Each run
// gets the date of its firing in the schedule's time zone as its as-of date; after each run the next firing is
// logged. `stop()` stops firing and lets the run in progress finish (`done` resolves then). Between runs this
// module holds nothing open: each run opens the warehouse and closes it again (the run kernel).
import { Cron } from 'croner';
import { asJianguanError, errorMessage, UsageError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';

export interface ScheduleOptions {
  /** A cron expression: 5 fields, or 6 with seconds first. */
  cron: string;
  /** IANA time zone the expression (and the as-of date of each run) is read in. */
  tz: string;
  /** Fire once at start, then follow the schedule. */
  now?: boolean;
  log: Logger;
  /** One run for this as-of date; its exit code (0, 1, 3; a thrown error counts with its own exit code). */
  fire: (asOf: string) => Promise<number>;
}

export interface ScheduleSummary {
  runs: number;
  skipped: number;
  /** Exit code of each run, in order. */
  exitCodes: number[];
}

export interface Schedule {
  /** Resolves once stopped and no run is in progress. */
  done: Promise<ScheduleSummary>;
  /** Stop firing; a run in progress finishes first. */
  stop(): void;
  running(): boolean;
  /** The next firing, or null (stopped, or the expression fires no more). */
  next(): Date | null;
}

/** The calendar date of `at` in time zone `tz` (YYYY-MM-DD). */
export function dateIn(tz: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `at` as wall-clock time in `tz`: 2027-01-01 02:30:00. */
function localTime(tz: string, at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'medium' }).format(at);
}

/** A usage error (exit 2) for a bad time zone or expression, before anything runs. */
export function checkSchedule(cron: string, tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UsageError(`option --tz: ${JSON.stringify(tz)} is not an IANA time zone, e.g. Asia/Shanghai`);
  }
  try {
    new Cron(cron, { timezone: tz, paused: true }).stop();
  } catch (err) {
    throw new UsageError(`option --cron: ${JSON.stringify(cron)} is not a cron expression (${errorMessage(err)}), e.g. "30 2 * * *"`);
  }
}

export function startSchedule(o: ScheduleOptions): Schedule {
  checkSchedule(o.cron, o.tz);
  const log = o.log.child({ step: 'schedule' });
  const summary: ScheduleSummary = { runs: 0, skipped: 0, exitCodes: [] };
  let stopping = false;
  let inFlight: Promise<void> | null = null;
  let resolveDone: (s: ScheduleSummary) => void = () => undefined;
  const done = new Promise<ScheduleSummary>((r) => {
    resolveDone = r;
  });
  const logNext = () => {
    const next = stopping ? null : job.nextRun();
    if (next) log.info({ next: next.toISOString(), tz: o.tz }, `next run at ${localTime(o.tz, next)} ${o.tz} (${next.toISOString()}; ${o.cron})`);
  };

  const runOnce = async () => {
    const firedAt = new Date();
    const asOf = dateIn(o.tz, firedAt);
    const n = summary.runs + 1;
    log.info({ firing: n, fired_at: firedAt.toISOString(), as_of: asOf }, `run ${n} starting (as of ${asOf})`);
    let code: number;
    try {
      code = await o.fire(asOf);
    } catch (err) {
      const e = asJianguanError(err);
      code = e.exitCode || 1;
      log.error({ firing: n, code: e.code, exit_code: code }, `run ${n} failed: ${errorMessage(err)}`);
    }
    summary.runs = n;
    summary.exitCodes.push(code);
    const say = code === 0 ? log.info.bind(log) : log.warn.bind(log);
    say({ firing: n, exit_code: code }, `run ${n} ended with exit code ${code}`);
    logNext();
  };

  const fire = () => {
    if (stopping) return Promise.resolve();
    inFlight = runOnce().finally(() => {
      inFlight = null;
      if (stopping) resolveDone(summary);
    });
    return inFlight;
  };

  const job: Cron = new Cron(
    o.cron,
    {
      timezone: o.tz,
      paused: true,
      protect: () => {
        summary.skipped++;
        log.warn({ skipped: summary.skipped }, 'a firing was skipped: the previous run is still going');
      },
    },
    fire,
  );
  log.info({ cron: o.cron, tz: o.tz, pid: process.pid }, `schedule started: ${o.cron} (${o.tz})`);
  if (o.now) void job.trigger();
  else logNext();
  job.resume();

  return {
    done,
    stop: () => {
      if (stopping) return;
      stopping = true;
      job.stop();
      if (inFlight) log.warn({}, 'stopping: the run in progress finishes first');
      else resolveDone(summary);
    },
    running: () => inFlight !== null,
    next: () => (stopping ? null : job.nextRun()),
  };
}
