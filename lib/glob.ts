// Minimal glob for landing paths (Node 20 has no fs.glob): `*` and `?` within a path segment, `**` across
// segments. Results are sorted so loads are reproducible.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files under `root` whose root-relative path (with `/`) matches `pattern`. */
export async function glob(root: string, pattern: string): Promise<string[]> {
  const norm = pattern.replace(/^\.\//, '');
  const segments = norm.split('/');
  const firstWild = segments.findIndex((s) => /[*?]/.test(s));
  const base = firstWild === -1 ? segments.slice(0, -1) : segments.slice(0, firstWild);
  const re = globToRegExp(norm);
  const start = join(root, ...base);
  let entries: string[];
  try {
    const dirents = await readdir(start, { recursive: true, withFileTypes: true });
    entries = [];
    for (const d of dirents) {
      const abs = join(d.parentPath, d.name);
      // A symlink counts when it points at a file (landing zones are often assembled from links).
      if (d.isFile() || (d.isSymbolicLink() && (await stat(abs).catch(() => null))?.isFile())) entries.push(abs);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .map((abs) => ({ abs, rel: relative(root, abs).split(sep).join('/') }))
    .filter((e) => re.test(e.rel))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
    .map((e) => e.abs);
}
