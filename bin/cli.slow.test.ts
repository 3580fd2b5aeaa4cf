import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { camelKeysIn } from '../lib/json-keys.ts';
import { makeTempDir } from '../lib/temp-dir.ts';
import { oneLicenceLanding } from '../testkit/licence-zone.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('jianguan CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let holder: ChildProcess | undefined;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => {
    holder?.kill('SIGKILL');
    cleanup();
  });

  it('prints help and exits 0; a usage error exits 2', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('load');
    expect(cli(['load', '--no-such-flag']).code).toBe(2);
  });

  it('writes all of a long output into a pipe before exiting', () => {
    const db = join(dir, 'w.duckdb');
    expect(cli(['--db', db, 'init']).code).toBe(0);
    const r = cli(['--db', db, 'query', '--live', '--format', 'csv', '--limit', '20000', "select i, repeat('监', 20) as t from range(20000) r(i)"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(20_001);
    expect(lines.at(-1)).toBe(`19999,${'监'.repeat(20)}`);
  });

  it('stops quietly when the reader of its output goes away', async () => {
    const db = join(dir, 'w.duckdb');
    expect(cli(['--db', db, 'init']).code).toBe(0);
    const child = spawn(process.execPath, [
      CLI,
      '--db',
      db,
      'query',
      '--live',
      '--format',
      'csv',
      '--limit',
      '1000000',
      'select * from range(1000000)',
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 naming every problem of a bad config', () => {
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ sources: [{ id: 'X Y', level: 'town', feed: 'license' }] }));
    const r = cli(['--db', join(dir, 'w.duckdb'), '--config', cfg, 'load']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sources\.0\.id: /);
    expect(r.stderr).toMatch(/sources\.0\.level: /);
    expect(r.stderr).toMatch(/sources\.0\.path: /);
  });

  it('gives a second writer exit 75 naming the process that holds the lock', async () => {
    const db = join(dir, 'w.duckdb');
    holder = spawn(process.execPath, [join(ROOT, 'bin/run-ts.mjs'), join(ROOT, 'fixtures/scripts/hold-lock.ts'), db], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder?.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      holder?.on('exit', () => reject(new Error('lock holder exited')));
    });
    const r = cli(['--db', db, 'init']);
    expect(r.code).toBe(75);
    expect(r.stderr).toContain(`PID ${holder.pid}`);
  });

  it('loads a landing zone: summary on stdout, JSON logs on stderr, and --json output', () => {
    const cfg = oneLicenceLanding(dir);
    const db = join(dir, 'w.duckdb');
    const r = cli(['--db', db, '--config', cfg, '--log-level', 'info', 'load']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 records read = 1 loaded + 0 rejected');
    const logs = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; source?: string });
    expect(logs.some((l) => l.msg === 'batch loaded' && l.source === 'sjz-license')).toBe(true);
    const status = cli(['--db', db, '--json', 'status']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).sources[0]).toMatchObject({ source_id: 'sjz-license', rows_loaded: 1, rows_rejected: 0 });
  });

  it('prints only snake_case keys in every --json output', () => {
    const cfg = oneLicenceLanding(dir);
    const db = join(dir, 'w.duckdb');
    const json = (...args: string[]) => {
      const r = cli(['--db', db, '--config', cfg, '--log-level', 'silent', '--json', ...args]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as unknown;
    };
    const outputs: Record<string, unknown> = {
      init: json('init'),
      load: json('load'),
      status: json('status'),
      transform: json('transform', '--as-of', '2024-12-31'),
      run: json('run', '--as-of', '2024-12-31'),
      runs: json('runs'),
      'runs show': json('runs', 'show'),
      verify: json('verify'),
      lineage: json('lineage', 'raw.license', '1,1'),
      graph: json('graph'),
      fixtures: json('fixtures', '--out', join(dir, 'fx'), '--scale', '0.05'),
    };
    for (const [command, value] of Object.entries(outputs)) expect({ command, camel: camelKeysIn(value) }).toEqual({ command, camel: [] });
    // `query` prints the analyst's own column names, as the query spells them
    expect(json('query', '--live', 'select 1 as "fileCount"')).toEqual([{ fileCount: 1 }]);
  }, 180_000);
});
