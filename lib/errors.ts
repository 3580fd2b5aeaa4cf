// Errors carry a stable kebab-case `code` (tests and callers match on it, never on the message),
// a `retryable` flag (transient vs terminal) and the exit code the CLI maps them to.

export type ExitCode = 0 | 1 | 2 | 3 | 75;

export class JianguanError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly exitCode: ExitCode;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    opts: { retryable?: boolean; exitCode?: ExitCode; cause?: unknown; details?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.exitCode = opts.exitCode ?? 1;
    this.details = opts.details;
  }
}

/** Bad sources config, bad flags: exit 2. `issues` lists every problem as `path: message`. */
export class ConfigError extends JianguanError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], cause?: unknown) {
    super('config-invalid', issues.length ? `${message}\n${issues.map((i) => `  ${i}`).join('\n')}` : message, {
      exitCode: 2,
      cause,
      details: issues,
    });
    this.issues = issues;
  }
}

export class UsageError extends JianguanError {
  constructor(message: string) {
    super('usage', message, { exitCode: 2 });
  }
}

/** Another process holds the warehouse file: exit 75 (EX_TEMPFAIL), retry later. */
export class WarehouseLockedError extends JianguanError {
  readonly holderPid: number | undefined;
  constructor(path: string, holderPid: number | undefined, cause?: unknown) {
    super(
      'warehouse-locked',
      `warehouse ${path} is locked by another process${holderPid ? ` (PID ${holderPid})` : ''}; try again when it has finished`,
      { exitCode: 75, retryable: true, cause },
    );
    this.holderPid = holderPid;
  }
}

/** A whole file cannot be read safely; it becomes a failed batch, the other files still load. */
export class FileRejectedError extends JianguanError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { exitCode: 3, cause });
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
