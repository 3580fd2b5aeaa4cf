// The CLI's writer under a real file-size limit (prlimit --fsize: the disk is "full" for the load) and under a
// SIGKILL inside a batch's transaction: it ends, says why in one line, leaves no half batch and no batch-id gap,
// releases the lock, and a rerun equals a clean run.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../lib/temp-dir.ts';
import { licenceZone } from '../testkit/licence-zone.ts';
import { withWarehouse } from '../warehouse/db.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');

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
    cfg = licenceZone(dir, 6, 4000);
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
