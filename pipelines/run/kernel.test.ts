// The run kernel's finishing order, proven by injecting a failure at each step (JIANGUAN_FAULT): the run ends
// failed with the step named, no COMPLETE event is written, no history of the run stays, and the previous
// snapshot is the one served. Without a fault, `transform` checks, appends the history and publishes too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { ownCopy } from '../../testkit/shared.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { snapshotPath } from '../../warehouse/snapshot.ts';
import { STEPS } from './faults.ts';
import { NO_TOTALS, RunFailedError, runCommand } from './kernel.ts';
import { runTransformCommand } from './transform-command.ts';

describe('run kernel', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let events: string;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    db = ownCopy(inject('smallWarehouse'), dir).db;
    events = join(dir, 'events.jsonl');
  });
  afterEach(() => {
    delete process.env.JIANGUAN_FAULT;
  });
  afterAll(() => cleanup());

  const transform = () => runTransformCommand({ db, asOf: '2024-12-31', log: silentLogger(), openLineage: events });
  // The fault cases go through the kernel with work that reports the marts (built by the first test) as rebuilt,
  // so checks, history and publishing run over real tables without paying for a transform each time.
  const rebuilt = () =>
    runCommand({ command: 'transform', db, args: {}, configFile: null, configHash: null, log: silentLogger(), openLineage: events }, async () => ({
      totals: NO_TOTALS,
      partial: false,
      transformed: { asOf: '2024-12-31', complete: true },
    }));
  const published = () =>
    withWarehouse(
      snapshotPath(db),
      async (wh) => ({
        runId: await wh.scalarNumber('select run_id from meta.published'),
        status: String((await wh.one('select status from meta.runs where run_id = (select run_id from meta.published)'))?.status),
      }),
      { readOnly: true },
    );
  const endEvents = (runId: number) =>
    readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventType: string; job: { name: string }; run: { runId: string } })
      .filter((e) => e.job.name === 'jianguan.transform' && e.eventType !== 'START')
      .slice(-1)
      .map((e) => ({ type: e.eventType, runId }));

  it('checks, records history and publishes after a transform', async () => {
    const r = await transform();
    expect(r.snapshot).toBe(snapshotPath(db));
    expect(await published()).toEqual({ runId: r.runId, status: 'succeeded' });
    await withWarehouse(db, async (wh) => {
      // the cross-model integrity checks ran under this run (besides each model's own build and key checks)
      expect(
        await wh.scalarNumber("select count(*) from meta.checks where run_id = ? and check_name = 'complete_from_raw' and passed", [r.runId]),
      ).toBeGreaterThan(0);
      expect(await wh.scalarNumber('select count(*) from history.runs where run_id = ?', [r.runId])).toBe(1);
      expect(await wh.scalarNumber('select count(*) from meta.run_manifests where run_id = ?', [r.runId])).toBe(1);
    });
    expect(endEvents(r.runId)).toEqual([{ type: 'COMPLETE', runId: r.runId }]);
  });

  for (const step of STEPS.filter((s) => s !== 'openlineage')) {
    it(`a failure at ${step} fails the run, writes no COMPLETE, keeps no history and serves the old snapshot`, async () => {
      const before = await published();
      process.env.JIANGUAN_FAULT = step;
      const err = await rebuilt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RunFailedError);
      const f = err as RunFailedError;
      expect([f.step, f.code, f.exitCode]).toEqual([step, 'injected-fault', 1]);
      expect(f.message).toContain(`run ${f.runId} failed at ${step}`);
      await withWarehouse(db, async (wh) => {
        const run = await wh.one('select status, exit_code, error from meta.runs where run_id = ?', [f.runId]);
        expect([run?.status, run?.exit_code]).toEqual(['failed', 1]);
        expect(String(run?.error)).toContain(step);
        expect(await wh.scalarNumber('select count(*) from history.runs where run_id = ?', [f.runId])).toBe(0);
        expect(await wh.scalarNumber('select count(*) from history.entity_class_events where run_id = ?', [f.runId])).toBe(0);
        // the manifest records the failure (an injected fault strikes once, so even a failed manifest step is retried)
        expect(await wh.scalarNumber('select count(*) from meta.run_manifests where run_id = ?', [f.runId])).toBe(1);
      });
      expect(await published()).toEqual(before);
      const ends = readFileSync(events, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"jianguan.transform"') && !l.includes('"START"'));
      expect(ends.at(-1)).toContain('"FAIL"');
      expect(endEvents(f.runId)).toEqual([{ type: 'FAIL', runId: f.runId }]);
    });
  }

  it('a failure writing COMPLETE leaves the run succeeded and published, and says so', async () => {
    process.env.JIANGUAN_FAULT = 'openlineage';
    const err = (await rebuilt().catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('openlineage-failed');
    const snap = await published();
    expect(snap.status).toBe('succeeded');
    expect(err.message).toContain(`run ${snap.runId} succeeded and is published`);
    await withWarehouse(db, async (wh) => {
      // succeeded, but the process exits 1 (openlineage-failed): the ledger's exit code is the process's
      const run = await wh.one('select status, exit_code, error from meta.runs where run_id = ?', [snap.runId]);
      expect([run?.status, Number(run?.exit_code)]).toEqual(['succeeded', 1]);
      expect(String(run?.error)).toMatch(/^openlineage: /);
    });
  });
});
