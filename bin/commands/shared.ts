// What every command module shares: the lazily imported pipeline modules, the global options, printing.
import type { Command } from 'commander';
import { snakeKeys } from '../../lib/json-keys.ts';
import type { Logger } from '../../lib/log.ts';
import { createProgress } from '../../lib/progress.ts';

export const int = (v: string) => Number.parseInt(v, 10);

// Each command loads only the modules it needs: starting the CLI stays fast whatever the command.
export const lazy = {
  fixtures: () => import('../../fixtures/generator/command.ts'),
  init: () => import('../../pipelines/run/init.ts'),
  load: () => import('../../pipelines/run/load-command.ts'),
  risk: () => import('../../pipelines/transform/risk-config.ts'),
  summary: () => import('../../pipelines/transform/risk-summary.ts'),
  run: () => import('../../pipelines/run/nightly.ts'),
  graph: () => import('../../pipelines/transform/graph-show.ts'),
  lineage: () => import('../../pipelines/lineage/lineage.ts'),
  lineageFormat: () => import('../../pipelines/lineage/format.ts'),
  query: () => import('../../pipelines/serve/query.ts'),
  runShow: () => import('../../pipelines/audit/manifest-show.ts'),
  runShowFormat: () => import('../../pipelines/audit/manifest-format.ts'),
  verify: () => import('../../pipelines/verify/verify.ts'),
  verifyFormat: () => import('../../pipelines/verify/format.ts'),
  runs: () => import('../../pipelines/serve/runs.ts'),
  transform: () => import('../../pipelines/run/transform-command.ts'),
  status: () => import('../../pipelines/serve/status.ts'),
};

export interface Globals {
  db: string;
  config: string;
  json: boolean;
  logLevel: string;
}

/** What a command module gets from the program: the global options, the config if it exists, the logger. */
export interface Ctx {
  program: Command;
  g: () => Globals;
  configIfAny: () => string | undefined;
  getLog: (level: string) => Logger;
}

/** Every `--json` output goes through here: its keys become snake_case (lib/json-keys.ts). */
export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(snakeKeys(value), null, 2) : human()}\n`);
}

export function progressFor() {
  const bar = createProgress();
  return {
    bar,
    onProgress: (p: { filesDone: number; files: number; records: number }) =>
      bar.update(`loading: ${p.filesDone}/${p.files} files, ${p.records.toLocaleString('en')} records`),
  };
}
