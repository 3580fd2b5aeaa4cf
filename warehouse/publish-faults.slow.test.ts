// A warehouse file named after a schema, a directory in the way of the publish temp file, a kill between the
// snapshot copy and its swap: each used to break runs (issue 14); through the real CLI on real files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { oneLicenceLanding } from '../testkit/licence-zone.ts';
import { withWarehouse } from './db.ts';
import { publishTempPath, readPublished, snapshotPath } from './snapshot.ts';

const CLI = join(new URL('..', import.meta.url).pathname, 'bin/jianguan.mjs');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('publishing and warehouse names', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it.each(['raw', 'mart'])('a warehouse named %s.duckdb works: init, load, transform, query', (name) => {
    const cfg = oneLicenceLanding(dir);
    const base = ['--db', join(dir, `${name}.duckdb`), '--config', cfg];
    for (const cmd of [['init'], ['load'], ['transform']]) {
      const r = cli([...base, ...cmd]);
      expect(r.stderr).not.toContain('Ambiguous');
      expect(r.code).toBe(0);
    }
    const q = cli([...base, '--json', 'query', 'select count(*)::int as n from raw.license']);
    expect(q.code).toBe(0);
    expect(q.stdout).toContain('"n":1');
  });

  it('publishes over a directory left at the publish temp path (a killed spill)', async () => {
    const cfg = oneLicenceLanding(dir);
    const db = join(dir, 'w.duckdb');
    mkdirSync(join(publishTempPath(snapshotPath(db)), 'some-spill'), { recursive: true });
    const r = cli(['--db', db, '--config', cfg, 'run']);
    expect(r.stderr).not.toContain('EISDIR');
    expect(r.code).toBe(0);
    expect(existsSync(publishTempPath(snapshotPath(db)))).toBe(false);
    expect((await readPublished(db))?.run_id).toBe(1);
  });

  it('a kill between the snapshot copy and its swap: not succeeded, the old snapshot served, the next run publishes', async () => {
    const cfg = oneLicenceLanding(dir);
    const db = join(dir, 'w.duckdb');
    expect(cli(['--db', db, '--config', cfg, 'run']).code).toBe(0);
    const killed = cli(['--db', db, '--config', cfg, 'transform'], { JIANGUAN_KILL: 'publish-swap' });
    expect(killed.signal).toBe('SIGKILL');
    expect((await readPublished(db))?.run_id).toBe(1);
    const status = async () =>
      withWarehouse(db, (wh) => wh.all('select run_id::int as run_id, status from meta.runs order by run_id'), { readOnly: true });
    expect(await status()).toEqual([
      { run_id: 1, status: 'succeeded' },
      { run_id: 2, status: 'running' },
    ]);
    const again = cli(['--db', db, '--config', cfg, 'transform']);
    expect(again.code).toBe(0);
    expect(await status()).toEqual([
      { run_id: 1, status: 'succeeded' },
      { run_id: 2, status: 'abandoned' },
      { run_id: 3, status: 'succeeded' },
    ]);
    expect((await readPublished(db))?.run_id).toBe(3);
    expect(existsSync(publishTempPath(snapshotPath(db)))).toBe(false);
  });
});
