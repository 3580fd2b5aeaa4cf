import pino, { type Logger } from 'pino';

export type { Logger };

/** The one logger of a process: pino JSON on stderr. Created in bin/, passed down, bound with child(). */
export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { app: 'jianguan' } }, pino.destination({ fd: 2, sync: true }));
}

/** For tests and library callers that do not want output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
