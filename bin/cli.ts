// The CLI: parses flags, creates the one logger, registers the commands (bin/commands/, one module per group,
// each calling a pipeline function and printing), and maps errors to exit codes. The only place that calls
// process.exit.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { asJianguanError, ConfigError, type JianguanError } from '../lib/errors.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { codeVersion } from '../lib/version.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerBuildCommands } from './commands/build.ts';
import { registerLoadCommands } from './commands/load.ts';
import { registerNightlyCommands } from './commands/nightly.ts';
import { preflight } from './commands/preflight.ts';
import { registerScheduleCommand } from './commands/schedule.ts';
import type { Ctx, Globals } from './commands/shared.ts';

export { loadSummary } from './commands/load.ts';

/** `argv` only tells whether the version is asked for: finding the commit costs two git calls, paid only then. */
export function buildProgram(getLog: (level: string) => Logger, argv: readonly string[] = []): Command {
  const wantsVersion = argv.some((a) => a === '-V' || a === '--version');
  const program = new Command('jianguan')
    .description('监管 supervision data warehouse: load department feeds into DuckDB, cross-check them, trace every record')
    .version(wantsVersion ? codeVersion() : '')
    .option('--db <path>', 'warehouse file', process.env.JIANGUAN_DB ?? './warehouse.duckdb')
    .option('--config <path>', 'sources config (JSON)', process.env.JIANGUAN_CONFIG ?? './jianguan.sources.json')
    .option('--json', 'machine-readable output on stdout (keys in snake_case)', false)
    .option('--anchor-file <path>', "append each run's manifest chain head here (default: $JIANGUAN_ANCHOR_FILE, else <db>.anchors.jsonl)")
    .addOption(
      new Option('--log-level <level>', 'pino log level for the JSON logs on stderr')
        .choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
        // one text whatever stderr is when --help runs (the README says the same)
        .default(defaultLogLevel(), '"info", or "warn" when stderr is a terminal'),
    )
    // a usage error is its message and this hint, not the whole help
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const g = () => program.opts<Globals>();
  program.hook('preAction', (_program, action) => {
    const configGiven = program.getOptionValueSource('config') === 'cli' || process.env.JIANGUAN_CONFIG !== undefined;
    preflight(action, g(), configGiven);
    // the run kernel reads it from the environment (pipelines/audit/anchor.ts), as it does $JIANGUAN_ANCHOR_FILE
    const anchorFile = g().anchorFile;
    if (anchorFile) process.env.JIANGUAN_ANCHOR_FILE = resolve(anchorFile);
  });
  const ctx: Ctx = { program, g, getLog, configIfAny: () => (existsSync(g().config) ? g().config : undefined) };
  // registration order is the order of `--help`
  registerLoadCommands(ctx);
  registerAuditCommands(ctx);
  registerBuildCommands(ctx);
  registerNightlyCommands(ctx);
  registerScheduleCommand(ctx);
  return program;
}

function defaultLogLevel(): string {
  return process.stderr.isTTY ? 'warn' : 'info';
}

/** Only the frames of a stack (its first lines repeat the message, printed once already). */
function frames(stack: string | undefined): string | undefined {
  const at = stack?.split('\n').filter((l) => /^\s+at /.test(l));
  return at?.length ? at.map((l) => l.trim()).join('\n') : undefined;
}

/**
 * An error, said once: `jianguan: [code] message` for people (on a terminal nothing else, unless --log-level
 * debug); when stderr is not a terminal (cron, CI) or with debug, also one JSON log line with the code, the
 * message's first line and the stack frames, for the log collector.
 */
function reportError(e: JianguanError, cause: unknown, level: string, log: Logger | undefined): void {
  process.stderr.write(`jianguan: [${e.code}] ${e.message}\n`);
  const debug = level === 'debug' || level === 'trace';
  if (process.stderr.isTTY && !debug) return;
  const first = e.message.split('\n')[0] ?? '';
  const c = cause instanceof Error ? cause : undefined;
  const inner = c?.cause instanceof Error ? c.cause : undefined;
  (log ?? createLogger(level)).error(
    {
      code: e.code,
      exit_code: e.exitCode,
      // a usage or input error (exit 2, 75) is said by its message; the stack is for failures and bugs
      ...(debug || e.exitCode === 1 ? { stack: frames(c?.stack) } : {}),
      ...(inner && debug ? { cause: { message: inner.message.split('\n')[0], stack: frames(inner.stack) } } : {}),
    },
    first.length > 300 ? `${first.slice(0, 300)}…` : first,
  );
}

/** process.exit drops whatever a pipe has not taken yet (`jianguan query … | head` would get 64 KiB): wait first. */
async function exit(code: number, o: { kill?: boolean } = {}): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((done) => s.write('', () => done()))));
  // Node's exit waits for its worker threads, and a query abandoned at its time limit still holds one in DuckDB
  if (o.kill) process.kill(process.pid, 'SIGKILL');
  process.exit(code);
}

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`jianguan query … | head`) is not an error of ours: stop quietly, as Unix tools do.
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(0);
    });
  }
  let log: Logger | undefined;
  const getLog = (level: string) => {
    // on a terminal, people read the log: one plain line per warning (lib/log.ts); JSON for machines and for debug
    log ??= createLogger(level, { human: Boolean(process.stderr.isTTY) && level !== 'debug' && level !== 'trace' });
    return log;
  };
  const program = buildProgram(getLog, argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      await exit(err.exitCode === 0 ? 0 : 2);
    }
    // every failure ends with a named code (lib/errors.ts ERROR_CODES); `internal-error` is a bug of ours
    const e = asJianguanError(err);
    const level = program.opts<Partial<Globals>>().logLevel ?? defaultLogLevel();
    if (err instanceof ConfigError) process.stderr.write(`jianguan: ${err.message}\n`);
    else reportError(e, err, level, log);
    await exit(e.exitCode, { kill: e.code === 'query-timeout' && (e.details as { abandoned?: boolean } | undefined)?.abandoned === true });
  }
  await exit(Number(process.exitCode ?? 0));
}
