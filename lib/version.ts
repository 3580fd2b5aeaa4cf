// The code version recorded with every run: package version plus the git commit when run from a checkout.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { packagePath, packageRoot } from './paths.ts';

let cached: string | undefined;

export function codeVersion(): string {
  if (cached) return cached;
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (dirty) commit += '-dirty';
  } catch {
    // not a git checkout (installed package): the package version alone
  }
  cached = commit ? `${pkg.version}+${commit}` : pkg.version;
  return cached;
}
