// The CLI's contract, checked on the built CLI as a process: every command with good, missing, malformed and
// out-of-range arguments, on a missing and on an existing warehouse: the exit code (README "Exit codes"), what is on
// stdout and stderr, and that a command that must not write created or changed no file.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { type SharedWarehouse, smallWarehouse } from '../testkit/shared.ts';
// @ts-expect-error: plain JavaScript without types
import { build } from './build.mjs';

const ROOT = new URL('..', import.meta.url).pathname;

let dir: string;
let cleanup: () => void;
let runner: string;
let bundle: string;
let wh: SharedWarehouse;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [runner, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1', JIANGUAN_THREADS: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `d` with its size and mtime: what "nothing created or changed" compares. */
function listing(d: string): string[] {
  if (!existsSync(d)) return [];
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const p = join(e.parentPath, e.name);
      const s = statSync(p);
      return `${p} ${s.size} ${s.mtimeMs}`;
    })
    .sort();
}

/** The JSON log lines of a stderr (the lines that are not the `jianguan: …` message). */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  ({ dir, cleanup } = makeTempDir('jianguan-contract-'));
  // the bundle, as `npm run build` makes it, built inside the package (its sql/ is found by walking up) in a
  // gitignored folder of its own: the shared one (node_modules/.cache) is left alone
  bundle = join(ROOT, 'tmp', `cli-contract-${process.pid}`);
  await build(bundle);
  runner = join(bundle, 'run.mjs');
  writeFileSync(runner, "import { main } from './cli.mjs';\nawait main(process.argv);\n");
  mkdirSync(join(dir, 'wh'));
  wh = smallWarehouse(join(dir, 'wh'));
});
afterAll(() => {
  cleanup?.();
  if (bundle) rmSync(bundle, { recursive: true, force: true });
});

describe('on a missing warehouse', () => {
  const reads: string[][] = [
    ['status'],
    ['runs'],
    ['runs', 'show'],
    ['runs', 'show', '1'],
    ['query', 'select 1'],
    ['query', '--live', 'select 1'],
    ['query', '--format', 'csv', 'select 1'],
    ['lineage', 'raw.license', '1,1'],
    ['lineage', '--live', 'mart.entity_risk', 'X'],
    ['verify'],
    ['verify', '--allow-missing'],
    ['graph'],
    ['graph', '--each-source'],
  ];

  it('every reading command exits 2 naming the path, and creates nothing', () => {
    const db = join(dir, 'wareshouse.duckdb');
    for (const args of reads) {
      for (const json of [[], ['--json']]) {
        const before = listing(dir);
        const r = cli(['--db', db, ...json, ...args]);
        const what = [json, args].flat().join(' ');
        expect({ what, code: r.code, stdout: r.stdout }).toEqual({ what, code: 2, stdout: '' });
        expect(r.stderr, what).toContain(`jianguan: [warehouse-not-found] no warehouse at ${db}: check --db`);
        // said once for people, and once in the log line for a collector (no stack for a usage problem)
        expect(
          logLines(r.stderr).map((l) => [l.code, l.exit_code, l.stack]),
          what,
        ).toEqual([['warehouse-not-found', 2, undefined]]);
        expect(listing(dir), what).toEqual(before);
        expect(existsSync(db) || existsSync(`${db}.wal`), what).toBe(false);
      }
    }
  });

  it('a writing command whose --db folder does not exist exits 2 naming the folder', () => {
    const db = join(dir, 'no-such-folder', 'w.duckdb');
    for (const args of [['init'], ['load'], ['transform'], ['run', '--as-of', '2024-12-31']]) {
      const r = cli(['--db', db, '--config', wh.config, ...args]);
      const what = args.join(' ');
      expect({ what, code: r.code, stdout: r.stdout }).toEqual({ what, code: 2, stdout: '' });
      expect(r.stderr, what).toContain(`jianguan: [file-not-found] no folder ${join(dir, 'no-such-folder')} for the warehouse ${db}`);
      expect(existsSync(join(dir, 'no-such-folder')), what).toBe(false);
    }
  });

  it('graph draws the models from a config given with --config, without a warehouse', () => {
    const r = cli(['--db', join(dir, 'nope.duckdb'), '--config', wh.config, 'graph']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('flowchart');
    expect(existsSync(join(dir, 'nope.duckdb'))).toBe(false);
  });
});

describe('malformed and out-of-range arguments', () => {
  // [args, the option or argument named, a word of the problem]
  const cases: [string[], string][] = [
    [['load', '--concurrency', '0'], 'option --concurrency: "0" is not positive, e.g. 2'],
    [['load', '--concurrency', 'two'], 'option --concurrency: "two" is not a whole number'],
    [['load', '--concurrency', '1.5'], 'option --concurrency: "1.5" is not a whole number'],
    [['load', '--part-records', '-5'], 'option --part-records: "-5" is not a whole number'],
    [['load', '--memory-limit', 'lots'], 'option --memory-limit: "lots" is not a memory size'],
    [['load', '--memory-limit', '0GB'], 'option --memory-limit: "0GB" is not a memory size'],
    [['load', '--date', '2024-11-31'], 'option --date: "2024-11-31" is not a day of the calendar'],
    [['load', '--date', 'yesterday'], 'option --date: "yesterday" is not a date YYYY-MM-DD or YYYYMMDD'],
    [['run', '--date', '2024-02-30'], 'option --date: "2024-02-30" is not a day of the calendar'],
    [['run', '--from', '2024-11-01', '--to', '20241130'], 'option --to: "20241130" is not a date YYYY-MM-DD'],
    [['run', '--as-of', '2023-02-29'], 'option --as-of: "2023-02-29" is not a day of the calendar'],
    [['transform', '--as-of', '2024-13-01'], 'option --as-of: "2024-13-01" is not a day of the calendar'],
    [['runs', '--limit', '0'], 'option --limit: "0" is not positive, e.g. 20'],
    [['runs', 'show', 'abc'], 'argument <id>: "abc" is not a whole number'],
    [['runs', 'show', '-1'], 'argument <id>: "-1" is not a whole number'],
    [['lineage', '--limit', '-1', 'raw.license', '1,1'], 'option --limit: "-1" is not a whole number'],
    [['lineage', '--max-nodes', 'many', 'raw.license', '1,1'], 'option --max-nodes: "many" is not a whole number'],
    [['fixtures', '--out', 'fx', '--seed', '-1'], 'option --seed: "-1" is not a whole number'],
    [['fixtures', '--out', 'fx', '--scale', '0'], 'option --scale: "0" is not a positive number'],
    [['fixtures', '--out', 'fx', '--as-of', '2024-02-30'], 'option --as-of: "2024-02-30" is not a day of the calendar'],
  ];

  it('each exits 2 saying what is wrong and a value that would do; nothing is created or changed', () => {
    const before = listing(dir);
    for (const [args, message] of cases) {
      const r = cli(['--db', wh.db, '--config', wh.config, ...args]);
      const what = args.join(' ');
      expect({ what, code: r.code, stdout: r.stdout }).toEqual({ what, code: 2, stdout: '' });
      expect(r.stderr, what).toContain(`jianguan: [usage] ${message}`);
      expect(r.stderr.split('\n')[0], what).toContain(', e.g. ');
      expect(
        logLines(r.stderr).map((l) => [l.code, l.stack]),
        what,
      ).toEqual([['usage', undefined]]);
    }
    expect(listing(dir)).toEqual(before);
  });

  it('an unknown flag, command or choice exits 2 with a one-line hint, not the whole help', () => {
    for (const args of [
      ['load', '--no-such-flag'],
      ['no-such-command'],
      ['--log-level', 'loud', 'status'],
      ['query', '--format', 'xml', 'select 1'],
    ]) {
      const r = cli(['--db', wh.db, ...args]);
      const what = args.join(' ');
      expect({ what, code: r.code, stdout: r.stdout }).toEqual({ what, code: 2, stdout: '' });
      expect(r.stderr, what).toMatch(/^error: /);
      expect(r.stderr, what).toContain('(add --help for usage)');
      expect(r.stderr, what).not.toContain('Commands:');
    }
  });

  it('a run id that is not in meta.runs exits 2 [run-not-found]', () => {
    const r = cli(['--db', wh.db, 'runs', 'show', '999999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('jianguan: [run-not-found] runs show: no run 999999 in meta.runs');
  });
});

describe('on an existing warehouse', () => {
  it('reading commands succeed and create or change no file', () => {
    const before = listing(dir);
    const key = cli(['--db', wh.db, '--json', 'query', 'select _batch_id as b, _record_no as r from raw.license order by 1, 2 limit 1']);
    expect(key.code).toBe(0);
    const row = (JSON.parse(key.stdout) as { b: number; r: number }[])[0];
    const [b, rec] = [row?.b, row?.r];
    const good: string[][] = [
      ['status'],
      ['runs'],
      ['runs', '--limit', '1'],
      ['runs', 'show'],
      ['runs', 'show', String(wh.runId)],
      ['query', 'select count(*) as n from mart.entity_risk'],
      ['query', '--live', 'select count(*) as n from meta.runs'],
      ['lineage', 'raw.license', `${b},${rec}`],
      ['lineage', '--live', '--limit', '5', 'raw.license', `${b},${rec}`],
      ['graph'],
    ];
    for (const args of good) {
      const r = cli(['--db', wh.db, '--log-level', 'warn', ...args]);
      const what = args.join(' ');
      expect({ what, code: r.code, stderr: r.stderr }).toEqual({ what, code: 0, stderr: '' });
      expect(r.stdout.length, what).toBeGreaterThan(0);
    }
    expect(listing(dir)).toEqual(before);
    // verify re-hashes the landing files through the config and records each hash in meta.file_checks (lineage
    // trusts it while the file is untouched): the warehouse file changes, but no other file appears
    const names = () => listing(dir).map((l) => l.split(' ')[0]);
    const namesBefore = names();
    const v = cli(['--db', wh.db, '--config', wh.config, '--log-level', 'warn', 'verify']);
    expect([v.code, v.stderr]).toEqual([0, '']);
    expect(names()).toEqual(namesBefore);
  });

  it('a SQL error exits 2 and is said once, not four times', () => {
    const r = cli(['--db', wh.db, 'query', 'select nope from mart.entity_risk']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^jianguan: \[query-failed\] query failed: Binder Error: /);
    const logs = logLines(r.stderr);
    expect(logs.map((l) => [l.code, l.exit_code, l.stack, l.err])).toEqual([['query-failed', 2, undefined, undefined]]);
    // the human line and the log line's short message: nothing else repeats it
    expect(r.stderr.split('Binder Error').length - 1).toBe(2);
  });

  it('query without a published snapshot says so and points at --live; --live works', () => {
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    const db = join(bare, 'w.duckdb');
    copyFileSync(wh.db, db);
    const before = listing(bare);
    const r = cli(['--db', db, 'query', 'select 1 as one']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`jianguan: [no-snapshot] ${db} has no published snapshot yet`);
    expect(r.stderr).toContain('add --live');
    const live = cli(['--db', db, 'query', '--live', 'select 1 as one']);
    expect(live.code).toBe(0);
    expect(listing(bare)).toEqual(before);
  });

  it('meta.runs records the exit code the process returned, and runs show prints the error', () => {
    const own = join(dir, 'own');
    mkdirSync(own);
    const db = join(own, 'w.duckdb');
    copyFileSync(wh.db, db);
    const t = cli(['--db', db, '--log-level', 'silent', 'transform', '--select', 'no.such_model']);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('[model-unknown-select]');
    const runs = cli(['--db', db, '--json', 'runs', '--limit', '1']);
    const [last] = JSON.parse(runs.stdout) as { status: string; exit_code: number; command: string }[];
    expect(last).toMatchObject({ command: 'transform', status: 'failed', exit_code: 2 });
    const show = cli(['--db', db, 'runs', 'show']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('failed (exit 2)');
    expect(show.stdout).toMatch(/^error: work: --select no\.such_model: no such model/m);
  });
});

describe('help', () => {
  it('states the default log level as the README does, whatever stderr is', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('default: "info", or "warn" when stderr is a terminal');
  });
});
