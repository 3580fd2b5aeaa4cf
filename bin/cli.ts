// The CLI: parses flags, creates the one logger, registers the commands (bin/commands/, one module per group,
// each calling a pipeline function and printing), and maps errors to exit codes. The only place that calls
// process.exit.
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { asJianguanError, ConfigError } from '../lib/errors.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { codeVersion } from '../lib/version.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerBuildCommands } from './commands/build.ts';
import { registerLoadCommands } from './commands/load.ts';
import { registerNightlyCommands } from './commands/nightly.ts';
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
    .addOption(
      new Option('--log-level <level>', 'pino log level for the JSON logs on stderr')
        .choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
        .default(process.stderr.isTTY ? 'warn' : 'info'),
    )
    .showHelpAfterError()
    .exitOverride();
  const g = () => program.opts<Globals>();
  const ctx: Ctx = { program, g, getLog, configIfAny: () => (existsSync(g().config) ? g().config : undefined) };
  // registration order is the order of `--help`
  registerLoadCommands(ctx);
  registerAuditCommands(ctx);
  registerBuildCommands(ctx);
  registerNightlyCommands(ctx);
  return program;
}

/** process.exit drops whatever a pipe has not taken yet (`jianguan query … | head` would get 64 KiB): wait first. */
async function exit(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((done) => s.write('', () => done()))));
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
    log ??= createLogger(level);
    return log;
  };
  const program = buildProgram(getLog, argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      await exit(err.exitCode === 0 ? 0 : 2);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`jianguan: ${err.message}\n`);
      await exit(2);
    }
    // every other failure ends with a named code (lib/errors.ts ERROR_CODES); `internal-error` is a bug of ours
    const e = asJianguanError(err);
    process.stderr.write(`jianguan: [${e.code}] ${e.message}\n`);
    (log ?? createLogger('error')).error({ err, code: e.code }, e.message);
    await exit(e.exitCode);
  }
  await exit(Number(process.exitCode ?? 0));
}
