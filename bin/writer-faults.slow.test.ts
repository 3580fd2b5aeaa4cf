// The CLI's writer under a real file-size limit (prlimit --fsize: the disk is "full" for the load) and under a
// SIGKILL inside a batch's transaction: it ends, says why in one line, leaves no half batch and no batch-id gap,
// releases the lock, and a rerun equals a clean run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { withWarehouse } from '../warehouse/db.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');
const HEADER = 'XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_FRDB,XK_XKWS,XK_WSH,XK_XKLB,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,XK_ZT';

function zone(dir: string): string {
  mkdirSync(join(dir, 'land'), { recursive: true });
  for (let f = 0; f < 6; f++) {
    const rows = [HEADER];
    for (let i = 0; i < 4000; i++) {
      rows.push(
        `河北某某${f}-${i}商贸有限公司,法人及非法人组织,91130105MA07XQNN9N,张伟,准予许可决定书,冀审批〔2024〕${f}-${i}号,普通,JY1130105${f}${String(i).padStart(6, '0')},预包装食品销售,2024-03-05,2024-03-01,2029-02-28,石家庄市行政审批局,11230500001755309F,1`,
      );
    }
    writeFileSync(join(dir, `land/license_${f}.csv`), rows.join('\n'));
  }
  const cfg = join(dir, 'land/sources.json');
  writeFileSync(
    cfg,
    JSON.stringify({ sources: [{ id: 'p', level: 'province', region_code: '130000', department: '河北省局', feed: 'license', path: '*.csv' }] }),
  );
  return cfg;
}

function load(db: string, cfg: string, env: Record<string, string> = {}, prefix: string[] = []) {
  const argv = [...prefix, process.execPath, CLI, '--db', db, '--config', cfg, 'load', '--part-records', '1000', '--concurrency', '3'];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, signal: r.signal, stderr: r.stderr };
}

async function batches(db: string) {
  return withWarehouse(db, async (wh) => {
    const half = await wh.all(
      'select batch_id from meta.batches b where rows_loaded <> (select count(*) from raw.license r where r._batch_id = b.batch_id)',
    );
    expect(half).toEqual([]);
    expect(
      await wh.scalarNumber('select count(*) from raw.license r where not exists (select 1 from meta.batches b where b.batch_id = r._batch_id)'),
    ).toBe(0);
    return wh.all('select batch_id::int as batch_id, location, status, rows_loaded from meta.batches order by batch_id');
  });
}

describe('the writer on a full disk and a kill inside a batch', () => {
  let dir: string;
  let cleanup: () => void;
  let cfg: string;
  let empty: string;
  let expected: Awaited<ReturnType<typeof batches>>;
  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    cfg = zone(dir);
    empty = join(dir, 'empty.duckdb');
    expect(spawnSync(process.execPath, [CLI, '--db', empty, 'init']).status).toBe(0);
    const clean = join(dir, 'clean.duckdb');
    copyFileSync(empty, clean);
    expect(load(clean, cfg).code).toBe(0);
    expected = await batches(clean);
    expect(expected.map((b) => b.batch_id)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  afterAll(() => cleanup());

  it('a file-size limit: exits 1 with one disk-full line, no half batch, lock released, the rerun converges', async () => {
    const db = join(dir, 'full.duckdb');
    copyFileSync(empty, db);
    const r = load(db, cfg, {}, ['prlimit', '--fsize=3000000']);
    expect(r.signal).toBe(null);
    expect(r.code).toBe(1);
    const last = r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('jianguan:'));
    expect(last).toHaveLength(1);
    expect(last[0]).toMatch(/^jianguan: \[disk-full\] run \d+ failed at work: .*File too large/);
    const after = await batches(db);
    expect(after.length).toBeLessThan(6);
    expect(load(db, cfg).code).toBe(0);
    expect(await batches(db)).toEqual(expected);
  });

  it('a SIGKILL after the batch id is taken, before the commit: the rerun has ids 1..n like a clean run', async () => {
    const db = join(dir, 'killed.duckdb');
    copyFileSync(empty, db);
    const r = load(db, cfg, { JIANGUAN_FAULT: 'batch-kill:3' });
    expect(r.signal).toBe('SIGKILL');
    expect((await batches(db)).map((b) => b.batch_id)).toEqual([1, 2]);
    expect(load(db, cfg).code).toBe(0);
    expect(await batches(db)).toEqual(expected);
  });
});
