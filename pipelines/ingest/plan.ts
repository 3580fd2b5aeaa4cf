// What a load will read: the landing files of each enabled source (optionally of some sources, or of one day),
// and where their part files go while they are scanned.
import { accessSync, constants, realpathSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, relative, sep } from 'node:path';
import { ConfigError, JianguanError } from '../../lib/errors.ts';
import { glob } from '../../lib/glob.ts';
import type { SourceConfig, SourcesConfig } from '../../schemas/sources-config.ts';

export interface Planned {
  source: SourceConfig;
  path: string;
  location: string;
}

/**
 * Where part files go: $JIANGUAN_TMPDIR, else /dev/shm when it is writable with at least 1 GiB free (parts are
 * short-lived and re-read at once, so memory-backed storage saves two passes over the disk; containers often
 * give /dev/shm only 64 MiB), else the OS temp directory.
 */
export function scratchDir(): string {
  const configured = process.env.JIANGUAN_TMPDIR;
  if (configured) return configured;
  try {
    accessSync('/dev/shm', constants.W_OK);
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= 2 ** 30) return '/dev/shm';
  } catch {
    // no usable /dev/shm
  }
  return tmpdir();
}

function dateNeedles(date: string): string[] {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m) throw new JianguanError('usage', `--date ${date}: expected YYYY-MM-DD`, { exitCode: 2 });
  return [`${m[1]}-${m[2]}-${m[3]}`, `${m[1]}${m[2]}${m[3]}`];
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface Plan {
  files: Planned[];
  /** Enabled (and selected) sources whose path matches no file at all: reported, never silent. */
  empty: SourceConfig[];
}

/**
 * The files to load. A file matched by two enabled sources is a config problem (which source's columns, level and
 * department would it be?): exit 2 naming both sources and the file, whichever sources were selected.
 */
export async function planFiles(cfg: SourcesConfig, only?: string[], date?: string): Promise<Plan> {
  const wanted = only?.length ? new Set(only) : null;
  if (wanted) {
    const unknown = [...wanted].filter((id) => !cfg.sources.some((s) => s.id === id));
    if (unknown.length) throw new JianguanError('unknown-source', `unknown source id: ${unknown.join(', ')}`, { exitCode: 2 });
  }
  const needles = date ? dateNeedles(date) : null;
  const files: Planned[] = [];
  const empty: SourceConfig[] = [];
  const owner = new Map<string, string>();
  const overlaps: string[] = [];
  const outside: string[] = [];
  const root = realpathOr(cfg.landingDir);
  for (const source of cfg.sources) {
    if (!source.enabled) continue;
    const matched = await glob(cfg.landingDir, source.path);
    const selected = !wanted || wanted.has(source.id);
    if (selected && matched.length === 0) empty.push(source);
    for (const path of matched) {
      const location = relative(cfg.landingDir, path).split(sep).join('/');
      // A symlink is followed only to a file inside landing_dir (config validation refuses `..` and absolute paths).
      const real = relative(root, realpathOr(path));
      if (real === '..' || real.startsWith(`..${sep}`) || isAbsolute(real)) {
        outside.push(`source ${source.id}: ${location} is a symlink to ${realpathOr(path)}, outside landing_dir ${root}`);
        continue;
      }
      const first = owner.get(location);
      if (first !== undefined) overlaps.push(`${location}: matched by sources ${first} and ${source.id}`);
      else owner.set(location, source.id);
      if (!selected || (needles && !needles.some((n) => location.includes(n)))) continue;
      files.push({ source, path, location });
    }
  }
  if (outside.length) {
    throw new ConfigError(
      `sources config: ${outside.length} landing file(s) resolve outside landing_dir (symlinks are followed only within it)`,
      outside,
    );
  }
  if (overlaps.length) {
    const listed = overlaps.length > 20 ? [...overlaps.slice(0, 20), `… and ${overlaps.length - 20} more files`] : overlaps;
    throw new ConfigError(
      `sources config: ${overlaps.length} file(s) matched by two sources (narrow their \`path\` globs so each file has one source)`,
      listed,
    );
  }
  return { files, empty };
}
