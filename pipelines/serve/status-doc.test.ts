// The status document the run kernel writes (warehouse/status-doc.ts) is what `status` and `runs` read: after a
// run, succeeded or failed, it says what a live read says; during a run it names the run and its pid; a record of
// a run whose process is gone reads as a run that did not finish.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { licenceZone } from '../../testkit/licence-zone.ts';
import { readStatusDoc, type StatusDoc, statusDocPath } from '../../warehouse/status-doc.ts';
import { runRunsShow } from '../audit/manifest-show.ts';
import { NO_TOTALS, runCommand } from '../run/kernel.ts';
import { runLoad } from '../run/load-command.ts';
import { readRuns } from './runs.ts';
import { runStatus, type StatusReport } from './status.ts';

/** The report without the fields that say where it was read from. */
const content = ({ read_from: _r, written_at: _w, note: _n, run_in_progress: _p, ...rest }: StatusReport) => rest;

describe('the status document', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let cfg: string;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    cfg = licenceZone(dir, 2, 30, 7);
    db = join(dir, 'w.duckdb');
  });
  afterEach(() => {
    delete process.env.JIANGUAN_FAULT;
  });
  afterAll(() => cleanup());

  const load = () => runLoad({ db, config: cfg, log: silentLogger() });
  const expectLiveEqual = async () => {
    const fromDoc = await runStatus({ db, config: cfg });
    const live = await runStatus({ db, config: cfg, live: true });
    expect(fromDoc.read_from).toBe('status-document');
    expect(live.read_from).toBe('warehouse');
    expect(content(fromDoc)).toEqual(content(live));
    const runs = await readRuns({ db, limit: 50 });
    expect(runs.read_from).toBe('status-document');
    expect(runs.runs).toEqual((await readRuns({ db, limit: 50, live: true })).runs);
    return fromDoc;
  };

  it('after a successful run equals the live status and run history', async () => {
    expect((await load()).exitCode).toBe(0);
    expect(readStatusDoc(db)?.running).toBeNull();
    const s = await expectLiveEqual();
    expect(s.sources.map((x) => [x.source_id, x.files, x.batches_loaded, x.rows_rejected])).toEqual([['p', 2, 2, 10]]);
    expect(s.rejects_by_reason.length).toBeGreaterThan(0);
    expect(s.last_run).toMatchObject({ run_id: 1, command: 'load', status: 'succeeded' });
    expect(s.run_in_progress).toBeNull();
    // runs show of that run comes from the document, as the writer showed it at the run's end
    const show = await runRunsShow({ db });
    expect(show).toMatchObject({ read_from: 'status-document', run: { run_id: 1, status: 'succeeded' } });
    expect(show.batches).toHaveLength(2);
  });

  it('records the run in progress, with its pid, at the start of the run', async () => {
    let during: StatusReport | null = null;
    await runCommand({ command: 'load', db, args: {}, configFile: cfg, configHash: null, log: silentLogger() }, async () => {
      during = await runStatus({ db, config: cfg });
      return { totals: NO_TOTALS, partial: false, transformed: null };
    });
    expect(during).toMatchObject({ run_in_progress: { state: 'running', run_id: 2, pid: process.pid, command: 'load' } });
    expect((during as StatusReport | null)?.run_in_progress?.message).toMatch(/^run 2 \(load\) in progress since \S+ \(pid \d+\)$/);
    expect(readStatusDoc(db)?.running).toBeNull();
    await expectLiveEqual();
  });

  it('after an injected failure records the failed run', async () => {
    writeFileSync(join(dir, 'land/license_5.csv'), readFileSync(join(dir, 'land/license_0.csv'), 'utf8').replaceAll('商贸', '物流'));
    process.env.JIANGUAN_FAULT = 'work';
    await expect(load()).rejects.toMatchObject({ code: 'injected-fault' });
    const doc = readStatusDoc(db);
    expect(doc?.running).toBeNull();
    expect(doc?.runs[0]).toMatchObject({ run_id: 3, status: 'failed', exit_code: 1 });
    const s = await expectLiveEqual();
    expect(s.last_run).toMatchObject({ run_id: 3, status: 'failed' });
    expect(await runRunsShow({ db, runId: 3 })).toMatchObject({ read_from: 'status-document', run: { status: 'failed' } });
  });

  it('a running record whose process is gone reads as a run that did not finish', async () => {
    const dead = spawnSync('true').pid;
    const doc = readStatusDoc(db) as StatusDoc;
    writeFileSync(
      statusDocPath(db),
      JSON.stringify({ ...doc, running: { run_id: 4, pid: dead, command: 'run', started_at: '2025-01-01T02:00:00Z' } }),
    );
    const s = await runStatus({ db });
    expect(s.run_in_progress).toMatchObject({ state: 'gone', run_id: 4 });
    expect(s.run_in_progress?.message).toBe(`run 4 (run) did not finish (process gone; pid ${dead}, started 2025-01-01T02:00:00Z)`);
    expect((await readRuns({ db, limit: 5 })).run_in_progress?.state).toBe('gone');
  });

  it('without a document (a warehouse from before it), status and runs read the warehouse and say so', async () => {
    rmSync(statusDocPath(db));
    const s = await runStatus({ db });
    expect(s.read_from).toBe('warehouse');
    expect(s.note).toContain('no status document');
    expect((await readRuns({ db, limit: 5 })).note).toContain('no status document');
  });
});
