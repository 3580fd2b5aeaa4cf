import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger of a process, created in bin/, passed down, bound with child(): pino JSON lines on stderr for
 * log collectors (cron, systemd, CI). With `human` (stderr is a terminal and the level is not debug), a line is
 * written for people instead: `jianguan: warning: <message>`; errors are left to the CLI's own last line, which
 * says the error once.
 */
export function createLogger(level = 'info', o: { human?: boolean } = {}): Logger {
  const opts = { level, base: { app: 'jianguan' } };
  return o.human ? pino(opts, humanStream()) : pino(opts, pino.destination({ fd: 2, sync: true }));
}

const LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning' };

function humanStream(): DestinationStream {
  return {
    write(line: string) {
      const { level, msg } = JSON.parse(line) as { level: number; msg?: string };
      if (level >= 50) return;
      process.stderr.write(`jianguan: ${LABELS[level] ?? 'note'}: ${msg ?? ''}\n`);
    },
  };
}

/** For tests and library callers that do not want output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
