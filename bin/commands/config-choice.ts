// The sources config a command uses (pipelines/serve/recorded-config.ts): the one given, else the default path when
// it exists, else the one the warehouse's last run recorded.
import type { ConfigChoice } from '../../pipelines/serve/recorded-config.ts';
import type { Ctx } from './shared.ts';

/** `file`: the file the command reads (verify, lineage: the snapshot, or the warehouse with --live). */
export async function configFor({ program, g, getLog }: Pick<Ctx, 'program' | 'g' | 'getLog'>, file?: string): Promise<ConfigChoice> {
  const { chooseConfig } = await import('../../pipelines/serve/recorded-config.ts');
  // the option's default is $JIANGUAN_CONFIG when set, so commander calls both "default"
  const given = program.getOptionValueSource('config') === 'cli' || process.env.JIANGUAN_CONFIG !== undefined;
  const choice = await chooseConfig({ path: g().config, given, db: g().db, file });
  if (choice.from === 'last-run') {
    getLog(g().logLevel).info({ config: choice.path, run: choice.runId }, `no ${g().config}: using the sources config run ${choice.runId} recorded`);
  }
  return choice;
}

/** A config a writing command cannot do without: the chosen one, else the default path (which then fails naming it). */
export async function requiredConfig(ctx: Pick<Ctx, 'program' | 'g' | 'getLog'>): Promise<string> {
  const { recordedPath } = await import('../../pipelines/serve/recorded-config.ts');
  return recordedPath((await configFor(ctx)).path ?? ctx.g().config);
}
