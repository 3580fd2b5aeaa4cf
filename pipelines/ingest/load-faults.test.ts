// The writer on a write error (it stops, settles every file task, leaves no half batch) and the part files a
// killed load leaves behind (removed by the next load when their owner is gone). Real DuckDB files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { assertWholeBatches, licenceZone } from '../../testkit/licence-zone.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { runLoad } from '../run/load-command.ts';

/** The batches as a clean run leaves them: ids, files, statuses, counts (raw rows counted). */
async function batches(db: string) {
  return withWarehouse(db, async (wh) => {
    await assertWholeBatches(wh);
    return wh.all(`
      select batch_id, location, status, rows_read, rows_loaded, rows_rejected,
             (select count(*) from raw.license r where r._batch_id = b.batch_id) as raw_rows
      from meta.batches b order by batch_id`);
  });
}

describe('load: write errors and leftovers', () => {
  let dir: string;
  let cleanup: () => void;
  const saved = { fault: process.env.JIANGUAN_FAULT, tmp: process.env.JIANGUAN_TMPDIR };
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'scratch'));
    process.env.JIANGUAN_TMPDIR = join(dir, 'scratch');
  });
  afterEach(() => {
    for (const [k, v] of [
      ['JIANGUAN_FAULT', saved.fault],
      ['JIANGUAN_TMPDIR', saved.tmp],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    cleanup();
  });

  const load = (db: string, config: string) => runLoad({ db, config, log: silentLogger(), concurrency: 3, partRecords: 100, memoryLimit: '256MB' });

  it('stops on a write error inside a batch: every task settles, no half batch, the rerun equals a clean run', async () => {
    const config = licenceZone(dir, 6, 300, 50);
    const clean = join(dir, 'clean.duckdb');
    await load(clean, config);
    const expected = await batches(clean);
    expect(expected.map((b) => Number(b.batch_id))).toEqual([1, 2, 3, 4, 5, 6]);

    const db = join(dir, 'w.duckdb');
    process.env.JIANGUAN_FAULT = 'batch-write:3';
    await expect(load(db, config)).rejects.toMatchObject({ code: 'disk-full', exitCode: 1 });
    const after = await batches(db);
    // the files before the failed one were loaded; nothing after it was written
    expect(after.map((b) => Number(b.batch_id))).toEqual([1, 2]);
    // the stopped load released its part files and its connection: the next load opens the file and converges
    expect(readdirSync(join(dir, 'scratch'))).toEqual([]);
    delete process.env.JIANGUAN_FAULT;
    await load(db, config);
    expect(await batches(db)).toEqual(expected);
  });

  it('removes part files a killed load left (owner gone), keeps a live owner’s and unknown ones', async () => {
    const config = licenceZone(dir, 1, 20, 50);
    const scratch = join(dir, 'scratch');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(deadPid).toBeGreaterThan(0);
    const past = new Date(Date.now() - 3_600_000);
    const leftover = join(scratch, `jianguan-part-${deadPid}-aB3dE9`);
    const live = join(scratch, `jianguan-part-${process.ppid}-xY7zQ1`);
    const unknown = join(scratch, 'jianguan-Qw12Er');
    for (const d of [leftover, live, unknown]) {
      mkdirSync(d);
      writeFileSync(join(d, 'part-0.csv'), 'x');
      utimesSync(d, past, past);
    }
    await load(join(dir, 'w.duckdb'), config);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unknown)).toBe(true);
  });
});
