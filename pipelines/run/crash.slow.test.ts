// Kills the loader with SIGKILL at many points; every batch must be fully present or absent afterwards, and a
// rerun must reach exactly the totals of an undisturbed run.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { assertWholeBatches, licenceZone } from '../../testkit/licence-zone.ts';
import { withWarehouse } from '../../warehouse/db.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');

const args = (db: string, cfg: string) => [CLI, '--db', db, '--config', cfg, '--log-level', 'debug', 'load', '--part-records', '400'];

/** Starts a load and SIGKILLs it right after its `after`-th log line (plus a few ms). */
function loadAndKill(db: string, cfg: string, after: number, delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args(db, cfg), { stdio: ['ignore', 'ignore', 'pipe'] });
    let lines = 0;
    let killed = false;
    child.stderr.on('data', (d: Buffer) => {
      lines += d.toString().split('\n').length - 1;
      if (!killed && lines >= after) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? 'killed' : 'finished'));
  });
}

async function totals(db: string) {
  return withWarehouse(db, async (wh) => {
    await assertWholeBatches(wh);
    return wh.all(`
      select location, rows_read, rows_loaded, rows_rejected,
             (select count(*) from raw.license r where r._batch_id = b.batch_id) as raw_rows
      from meta.batches b where status = 'loaded' order by location`);
  });
}

describe('crash safety', () => {
  let dir: string;
  let cleanup: () => void;
  let cfg: string;
  let expected: Awaited<ReturnType<typeof totals>>;
  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    cfg = licenceZone(dir, 4, 2000, 97);
    const clean = join(dir, 'clean.duckdb');
    expect(spawnSync(process.execPath, args(clean, cfg)).status).toBe(0);
    expected = await totals(clean);
    expect(expected.length).toBe(4);
  });
  afterAll(() => cleanup());

  it('leaves every batch fully present or absent after SIGKILL at many points, and a rerun converges', async () => {
    const db = join(dir, 'crashed.duckdb');
    let kills = 0;
    // Kill points spread over the run: after the n-th log line (parts, batches) plus a varying delay.
    for (const [after, delay] of [
      [1, 0],
      [2, 30],
      [4, 5],
      [6, 60],
      [9, 0],
      [12, 20],
      [15, 45],
      [20, 10],
      [3, 150],
      [8, 90],
    ] as const) {
      if ((await loadAndKill(db, cfg, after, delay)) === 'killed') kills++;
      await withWarehouse(db, assertWholeBatches);
    }
    expect(kills).toBeGreaterThanOrEqual(5);
    const final = spawnSync(process.execPath, args(db, cfg), { encoding: 'utf8' });
    expect(final.status).toBe(0);
    expect(await totals(db)).toEqual(expected);
  });
});
