// A warehouse file named after a schema, a directory in the way of the publish temp file, a kill between the
// snapshot copy and its swap: each used to break runs (issue 14); through the real CLI on real files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { withWarehouse } from './db.ts';
import { publishTempPath, readPublished, snapshotPath } from './snapshot.ts';

const CLI = join(new URL('..', import.meta.url).pathname, 'bin/jianguan.mjs');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function landing(dir: string): string {
  mkdirSync(join(dir, 'land'), { recursive: true });
  writeFileSync(
    join(dir, 'land/license.csv'),
    '行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,行政许可决定文书名称,行政许可决定文书号,许可类别,许可编号,许可内容,许可决定日期,有效期自,有效期至,许可机关,许可机关统一社会信用代码,当前状态\n' +
      '河北旭禾建筑装饰工程有限公司,法人及非法人组织,91130105MA07XQNN9N,张伟,准予许可决定书,冀审批〔2024〕1号,普通,JY11301050000011,预包装食品销售,2024/3/5,2024/3/5,2029/3/4,石家庄市行政审批局,11230500001755309F,有效\n',
  );
  const cfg = join(dir, 'land/sources.json');
  writeFileSync(
    cfg,
    JSON.stringify({
      sources: [{ id: 'sjz-license', level: 'city', region_code: '130100', department: '石家庄市行政审批局', feed: 'license', path: '*.csv' }],
    }),
  );
  return cfg;
}

describe('publishing and warehouse names', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it.each(['raw', 'mart'])('a warehouse named %s.duckdb works: init, load, transform, query', (name) => {
    const cfg = landing(dir);
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
    const cfg = landing(dir);
    const db = join(dir, 'w.duckdb');
    mkdirSync(join(publishTempPath(snapshotPath(db)), 'some-spill'), { recursive: true });
    const r = cli(['--db', db, '--config', cfg, 'run']);
    expect(r.stderr).not.toContain('EISDIR');
    expect(r.code).toBe(0);
    expect(existsSync(publishTempPath(snapshotPath(db)))).toBe(false);
    expect((await readPublished(db))?.run_id).toBe(1);
  });

  it('a kill between the snapshot copy and its swap: not succeeded, the old snapshot served, the next run publishes', async () => {
    const cfg = landing(dir);
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
