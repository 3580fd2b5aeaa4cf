// `jianguan schedule`: the nightly job (`run`, through runNightly and the run kernel) on a cron schedule, in
// this process. The schedule lock keeps it to one per warehouse; SIGINT/SIGTERM stop it after the run in
// progress (exit 0), a second signal stops it at once (exit 1, the run left as a kill would leave it).
import { JianguanError } from '../../lib/errors.ts';
import { requiredConfig } from './config-choice.ts';
import { type Ctx, lazy, print } from './shared.ts';

interface ScheduleOpts {
  cron: string;
  tz: string;
  now: boolean;
  riskConfig?: string;
  openlineage?: string;
}

export function registerScheduleCommand(ctx: Ctx): void {
  const { program, g, getLog } = ctx;
  program
    .command('schedule')
    .description('run the nightly job in this process on a cron schedule (for hosts without cron); one per warehouse')
    .requiredOption('--cron <expr>', 'when to run: 5 fields ("30 2 * * *"), or 6 with seconds first')
    .option('--tz <zone>', "IANA time zone of the expression and of each run's as-of date", 'Asia/Shanghai')
    .option('--now', 'run once at start, then follow the schedule', false)
    .option('--risk-config <path>', 'risk weights, cut-offs, windows and ratios (JSON)')
    .option('--openlineage <file>', 'append OpenLineage run events (JSON lines) to this file', process.env.JIANGUAN_OPENLINEAGE)
    .action(async (opts: ScheduleOpts) => {
      const config = await requiredConfig(ctx);
      const [{ runNightly }, { loadRiskConfig }, { startSchedule, checkSchedule }, { acquireScheduleLock }] = await Promise.all([
        lazy.run(),
        lazy.risk(),
        lazy.schedule(),
        lazy.scheduleLock(),
      ]);
      checkSchedule(opts.cron, opts.tz);
      const riskConfig = loadRiskConfig(opts.riskConfig);
      const log = getLog(g().logLevel);
      const db = g().db;
      const lock = acquireScheduleLock(db, log);
      let aborted: (err: Error) => void = () => undefined;
      const abort = new Promise<never>((_, reject) => {
        aborted = reject;
      });
      try {
        const schedule = startSchedule({
          cron: opts.cron,
          tz: opts.tz,
          now: opts.now,
          log,
          fire: async (asOf) => {
            const r = await runNightly({ db, config, asOf, riskConfig, openLineage: opts.openlineage, log });
            return r.exitCode;
          },
        });
        // the first signal stops firing and lets the run in progress finish; a second one during a run aborts
        let signals = 0;
        const handler = (signal: NodeJS.Signals) => {
          signals++;
          if (signals === 1 || !schedule.running()) return schedule.stop();
          aborted(
            new JianguanError(
              'schedule-aborted',
              `stopped by a second ${signal} during a run; the run is left unfinished (the next run records it abandoned)`,
            ),
          );
        };
        process.on('SIGINT', handler);
        process.on('SIGTERM', handler);
        try {
          const summary = await Promise.race([schedule.done, abort]);
          log.info({ runs: summary.runs, skipped: summary.skipped }, `schedule stopped after ${summary.runs} runs`);
          print(
            g().json,
            summary,
            () => `schedule stopped: ${summary.runs} runs (exit codes ${summary.exitCodes.join(', ') || '—'}), ${summary.skipped} firings skipped`,
          );
        } finally {
          process.off('SIGINT', handler);
          process.off('SIGTERM', handler);
        }
      } finally {
        lock.release();
      }
    });
}
