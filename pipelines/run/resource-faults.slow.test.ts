// The nightly job out of resources after a good run: the disk full during the transform and during publish (a
// small tmpfs, filled to leave a few bytes), and DuckDB's buffer pool too small for the transform (`--memory-limit`).
// Each time `run` exits 1 with one `RUN FAILED [code]` line naming the cause (the file that could not be written;
// the limit and how to raise it), the previous snapshot stays served and whole, nothing of the failed run is left
// on disk, verify passes, and a rerun without the limit equals the clean run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFixtures } from '../../fixtures/generator/command.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { divergences } from '../../testkit/crash-checks.ts';
import { compareWarehouses, identical } from '../../warehouse/compare.ts';
import { readPublished, snapshotPath } from '../../warehouse/snapshot.ts';
import { runVerify } from '../verify/verify.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/jianguan.mjs');
const AS_OF = '2024-11-30';

function run(db: string, config: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, [CLI, '--db', db, '--config', config, 'run', '--as-of', AS_OF, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, signal: r.signal, failed: r.stdout.split('\n').filter((l) => l.startsWith('RUN FAILED')), out: r.stdout + r.stderr };
}

describe('the nightly job out of disk or memory', () => {
  let dir: string;
  let cleanup: () => void;
  let config: string;
  /** The warehouse after one clean run, and the run that published its snapshot. */
  let base: string;
  let baseRun: number;
  /** A small tmpfs: the disk that fills up. */
  let disk: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir('jianguan-resources-'));
    const f = await runFixtures({ out: join(dir, 'land'), seed: 5, scale: 0.05, asOf: AS_OF });
    const cfg = JSON.parse(readFileSync(f.config, 'utf8')) as { sources: { region_code: string }[] };
    cfg.sources = cfg.sources.filter((s) => s.region_code === '130000');
    config = join(dir, 'land', 'province.sources.json');
    writeFileSync(config, JSON.stringify(cfg));
    base = join(dir, 'base.duckdb');
    const r = run(base, config);
    expect(r.code, r.out).toBe(0);
    baseRun = (await readPublished(base))!.run_id;
    disk = join(dir, 'disk');
    mkdirSync(disk);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', disk], { encoding: 'utf8' });
    expect(m.status, `a tmpfs is needed (run as root): ${m.stderr}`).toBe(0);
  });
  afterAll(() => {
    if (disk) spawnSync('umount', [disk]);
    cleanup?.();
  });

  /** The clean warehouse copied onto the tmpfs, the disk then filled up to `free` bytes left; `free()` empties it. */
  function onFullDisk(free: number): { db: string; unfill: () => void } {
    for (const f of readdirSync(disk)) rmSync(join(disk, f), { recursive: true, force: true });
    const db = join(disk, 'w.duckdb');
    copyFileSync(base, db);
    copyFileSync(snapshotPath(base), snapshotPath(db));
    const s = statfsSync(disk);
    const filler = join(disk, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - free)));
    return { db, unfill: () => rmSync(filler) };
  }

  /** After the failure: no leftover, the clean snapshot served, verify passes, a rerun converges to the clean run. */
  async function assertRecovers(db: string): Promise<void> {
    expect(readdirSync(join(db, '..')).filter((f) => /\.(tmp|spill|prev)\b/.test(f))).toEqual([]);
    expect((await readPublished(db))?.run_id).toBe(baseRun);
    expect((await compareWarehouses(snapshotPath(db), snapshotPath(base), ['core', 'mart'])).filter((c) => !identical(c))).toEqual([]);
    const v = await runVerify({ db, config });
    expect(v.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const again = run(db, config);
    expect(again.code, again.out).toBe(0);
    expect(await divergences(db, base)).toEqual([]);
    expect((await runVerify({ db, config })).problems.filter((p) => p.severity === 'error')).toEqual([]);
  }

  it('a full disk during the transform: exit 1 naming the model and the WAL, the previous snapshot served', async () => {
    const { db, unfill } = onFullDisk(32 * 1024);
    const r = run(db, config);
    unfill();
    expect(r.signal).toBe(null);
    expect(r.code, r.out).toBe(1);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatch(
      /^RUN FAILED \[disk-full\]( \S+)?: run \d+ failed at work: .*Could not write file ".*w\.duckdb\.wal": No space left on device/,
    );
    await assertRecovers(db);
  });

  it('a full disk during publish: exit 1 naming the snapshot copy, which is removed again', async () => {
    const { db, unfill } = onFullDisk(4 * 1024 * 1024);
    const r = run(db, config);
    unfill();
    expect(r.code, r.out).toBe(1);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatch(
      /^RUN FAILED \[disk-full\]: run \d+ failed at publish: no space left on the device writing the snapshot copy .*w\.published\.duckdb\.tmp \(removed again\)/,
    );
    await assertRecovers(db);
  });

  it('out of memory in the transform: exit 1 naming the limit and how to raise it', async () => {
    const db = join(dir, 'oom.duckdb');
    copyFileSync(base, db);
    copyFileSync(snapshotPath(base), snapshotPath(db));
    const r = run(db, config, ['--memory-limit', '2MB']);
    expect(r.code, r.out).toBe(1);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatch(
      /^RUN FAILED \[out-of-memory\].*: run \d+ failed at work: the transform ran out of memory.* \(DuckDB memory_limit [\d.]+ MiB\): raise it with `run --memory-limit`/,
    );
    await assertRecovers(db);
  });
});
