// Whether the CLI bundle (bin/build.mjs) may be run: it exists and every source it was built from still has the
// size and mtime recorded in its build.json. Plain JavaScript, as it runs before any TypeScript loader.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package folder (bin/..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = join(ROOT, 'node_modules', '.cache', 'jianguan', 'cli');

/** The file URL of the bundle's entry when it is fresh, else null. */
export function freshBundle(out = DEFAULT_OUT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'));
  } catch {
    return null; // never built
  }
  if (stamp.node !== process.version || !Array.isArray(stamp.inputs)) return null;
  for (const input of stamp.inputs) {
    try {
      const s = statSync(join(ROOT, input.path));
      if (s.size !== input.size || s.mtimeMs !== input.mtimeMs) return null;
    } catch {
      return null;
    }
  }
  return pathToFileURL(join(out, 'cli.mjs')).href;
}
