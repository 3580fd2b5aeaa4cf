// The literate check of the README (issue 10): after `npm run demo` (here the same `jianguan demo`, run in a
// temporary directory), every ```sh block the README marks with `<!-- readme-test -->` runs in order, each command
// through `sh` as a reader would type it (`npx jianguan` is this checkout's CLI), and each must exit 0. Blocks that
// need inputs of the reader's own (`<alert_id>`, /etc/jianguan/…, risk.json) are simply not marked.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');

/** The commands of every marked sh block, in README order; a command spans lines until it parses as a whole. */
function readmeCommands(readme: string): string[] {
  const commands: string[] = [];
  const blocks = readme.matchAll(/^<!-- readme-test -->\n```sh\n([\s\S]*?)^```$/gm);
  for (const [, body] of blocks) {
    let pending = '';
    for (const line of (body ?? '').split('\n')) {
      if (!pending && !line.trim()) continue;
      pending = pending ? `${pending}\n${line}` : line;
      if (spawnSync('sh', ['-n', '-c', pending]).status === 0) {
        commands.push(pending);
        pending = '';
      }
    }
    if (pending) throw new Error(`README: a marked block ends inside a command: ${pending}`);
  }
  return commands;
}

describe('the README, executed', () => {
  let dir: string;
  let cleanup: () => void;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir('jianguan-readme-'));
    // `npx jianguan …` → this checkout's CLI, from its sources
    mkdirSync(join(dir, '.bin'));
    writeFileSync(join(dir, '.bin/npx'), `#!/bin/sh\n[ "$1" = jianguan ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(dir, '.bin/npx'), 0o755);
    env = { ...process.env, PATH: `${join(dir, '.bin')}:${process.env.PATH}`, JIANGUAN_FROM_SOURCE: '1', NO_COLOR: '1' };
    delete env.JIANGUAN_CONFIG;
    delete env.JIANGUAN_DB;
  });
  afterAll(() => cleanup());

  const sh = (command: string) => {
    const r = spawnSync('sh', ['-c', command], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('marks blocks whose commands parse', () => {
    const commands = readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(commands.length).toBeGreaterThanOrEqual(10);
    expect(commands.some((c) => c.includes('<'))).toBe(false);
  });

  it('runs every marked recipe after `npm run demo`, each exiting 0', () => {
    const demo = sh(`"${process.execPath}" "${CLI}" demo`);
    expect(demo.stderr.split('\n').filter((l) => /"level":[56]0/.test(l))).toEqual([]);
    expect(demo.code).toBe(0);
    const results: { command: string; code: number | null; stderr: string }[] = [];
    for (const command of readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'))) {
      const r = sh(command);
      results.push({ command, code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(0, 2000) });
      if (/^npx jianguan verify\b/.test(command)) {
        // the files were checked, with the config the demo's run recorded
        expect(r.stdout).toMatch(/files: \d+ re-hashed under /);
        expect(r.stdout).not.toContain('NOT checked');
      }
      if (/^npx jianguan status\b/.test(command)) expect(r.stdout).toContain('county-130533-amr-inspection');
    }
    expect(results.filter((r) => r.code !== 0)).toEqual([]);
    expect(readFileSync(join(dir, 'plan.csv'), 'utf8').split('\n').length).toBeGreaterThan(1);
  });
});
