// Which sources config a command uses when none is named: `--config` or $JIANGUAN_CONFIG when given, else
// ./jianguan.sources.json when it exists, else the config the warehouse's last run recorded (meta.runs.config_file),
// so after `npm run demo` (config in ./landing) `load`, `run`, `status`, `verify` and `lineage` work without flags.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { col } from '../../warehouse/columns.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';

export interface ConfigChoice {
  /** The config file, or undefined when there is none to use. */
  path: string | undefined;
  /** Where it came from: named on the command line or in $JIANGUAN_CONFIG, the default path, or the run that recorded it. */
  from: 'given' | 'default' | 'last-run' | 'none';
  runId: number | null;
}

/** The config file the newest run that recorded one used, when that file still exists. */
export async function lastRunConfig(db: string): Promise<{ path: string; runId: number } | null> {
  if (!existsSync(db)) return null;
  try {
    const rows = await withOpenWarehouse(
      db,
      (wh) =>
        wh.rows('select run_id, config_file from meta.runs where config_file is not null order by run_id desc limit 1', {
          run_id: col.int(),
          config_file: col.text(),
        }),
      { readOnly: true },
    );
    const last = rows[0];
    return last && existsSync(last.config_file) ? { path: last.config_file, runId: last.run_id } : null;
  } catch {
    // a locked, foreign or outdated warehouse: the command itself will say what is wrong with it
    return null;
  }
}

export async function chooseConfig(o: { path: string; given: boolean; db: string }): Promise<ConfigChoice> {
  if (o.given) return { path: o.path, from: 'given', runId: null };
  if (existsSync(o.path)) return { path: o.path, from: 'default', runId: null };
  const last = await lastRunConfig(o.db);
  return last ? { path: last.path, from: 'last-run', runId: last.runId } : { path: undefined, from: 'none', runId: null };
}

/** The path a run records: absolute, so a later command from any directory finds it. */
export const recordedPath = (path: string) => resolve(path);
