// Which sources config a command uses when none is named: `--config` or $JIANGUAN_CONFIG when given, else
// ./jianguan.sources.json when it exists, else the config the warehouse's last run recorded (meta.runs.config_file),
// so after `npm run demo` (config in ./landing) `load`, `run`, `status`, `verify` and `lineage` work without flags.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { lastRecordedConfig } from '../../warehouse/run-status.ts';
import { withOpenWarehouse } from '../../warehouse/schema/open.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { readStatusDoc } from '../../warehouse/status-doc.ts';

export interface ConfigChoice {
  /** The config file, or undefined when there is none to use. */
  path: string | undefined;
  /** Where it came from: named on the command line or in $JIANGUAN_CONFIG, the default path, or the run that recorded it. */
  from: 'given' | 'default' | 'last-run' | 'none';
  runId: number | null;
}

/**
 * The config file the newest run that recorded one used, when that file still exists. Read from `file` when given
 * (verify and lineage: the file they check), else from the status document, else from the published snapshot,
 * else from the warehouse itself: a reader does not open the warehouse while anything else can tell.
 */
export async function lastRunConfig(db: string, file?: string): Promise<{ path: string; runId: number } | null> {
  const exists = (c: { path: string; runId: number } | null) => (c && existsSync(c.path) ? c : null);
  const doc = file ? null : readStatusDoc(db);
  if (doc) return exists(doc.last_config);
  const from = file ?? (existsSync(snapshotPath(db)) ? snapshotPath(db) : db);
  if (!existsSync(from)) return null;
  try {
    return exists(await withOpenWarehouse(from, lastRecordedConfig, { readOnly: true }));
  } catch {
    // a locked, foreign or outdated warehouse: the command itself will say what is wrong with it
    return null;
  }
}

/** `file`: the file the command reads (see lastRunConfig). */
export async function chooseConfig(o: { path: string; given: boolean; db: string; file?: string }): Promise<ConfigChoice> {
  if (o.given) return { path: o.path, from: 'given', runId: null };
  if (existsSync(o.path)) return { path: o.path, from: 'default', runId: null };
  const last = await lastRunConfig(o.db, o.file);
  return last ? { path: last.path, from: 'last-run', runId: last.runId } : { path: undefined, from: 'none', runId: null };
}

/** The path a run records: absolute, so a later command from any directory finds it. */
export const recordedPath = (path: string) => resolve(path);
