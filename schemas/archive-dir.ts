// Where a sources config keeps its archive of loaded files: `archive_dir` relative to the config file's folder (as
// landing_dir is), by default `<warehouse without .duckdb>.archive` beside the warehouse; `false` turns it off.
import { dirname, resolve } from 'node:path';

export function archiveDirOf(configFile: string, archiveDir: string | false | undefined, db: string): string | null {
  if (archiveDir === false) return null;
  if (archiveDir !== undefined) return resolve(dirname(resolve(configFile)), archiveDir);
  return `${resolve(db).replace(/\.duckdb$/, '')}.archive`;
}
