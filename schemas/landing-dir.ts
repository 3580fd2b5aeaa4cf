// Where a sources config's files are: `landing_dir` (default `.`), relative to the config file. Also read on its
// own, without the config schema, by commands that need only the folder (`lineage` re-checking source files), so
// they do not pay for loading every feed's validators.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function landingDirOf(configFile: string, landingDir = '.'): string {
  return resolve(dirname(resolve(configFile)), landingDir);
}

/** The landing dir of a config file, or null when the file cannot tell (unreadable, not JSON, a bad landing_dir). */
export function readLandingDir(configFile: string): string | null {
  try {
    const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as { landing_dir?: unknown } | null;
    const dir = cfg?.landing_dir ?? '.';
    return typeof dir === 'string' ? landingDirOf(configFile, dir) : null;
  } catch {
    return null;
  }
}
