// The nightly job end to end: load + transform + checks with the exit codes the README states, and a broken model
// that fails the run by name while the marts of the previous run stay readable.
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { brokenWarehouse } from '../../testkit/shared.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { DEFAULT_SQL_DIR } from '../catalog/models.ts';
import { formatRiskSummary, readRiskSummary } from '../transform/risk-summary.ts';
import { type NightlyResult, runDays, runNightly } from './nightly.ts';

describe('runNightly', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let config: string;
  let first: NightlyResult;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    // broken files: some batches must fail, the rest load and the marts still get built. The global setup ran
    // runNightly once on the shared generated landing zone (seed 11, scale 0.3); this file gets its result and
    // its own copy of the warehouse
    const w = brokenWarehouse(dir);
    ({ db, config } = w);
    first = w.nightly;
  });
  afterAll(() => cleanup());

  it('loads, transforms and checks, exiting 3 when some files failed', async () => {
    expect(first.error).toBeNull();
    expect(first.exitCode).toBe(3);
    expect(first.load[0]?.totals.batchesFailed).toBeGreaterThan(0);
    expect(first.transform?.models.map((m) => m.model)).toContain('mart.risk_alerts');
    expect(first.checks.filter((c) => !c.passed)).toEqual([]);
    await withWarehouse(db, async (wh) => {
      const run = await wh.one('select command, status, exit_code from meta.runs where run_id = ?', [first.runId]);
      expect(run).toEqual({ command: 'run', status: 'partial', exit_code: 3 });
      expect(await wh.scalarNumber('select count(*) from meta.checks where run_id = ? and not passed', [first.runId])).toBe(0);
      expect(await wh.scalarNumber("select count(*) from meta.param_history where run_id = ? and name = 'as_of'", [first.runId])).toBe(1);
    });
  });

  it('fails the run naming a broken model, and leaves the previous marts readable', async () => {
    const sqlDir = join(dir, 'sql');
    cpSync(DEFAULT_SQL_DIR, sqlDir, { recursive: true });
    appendFileSync(join(sqlDir, 'marts', 'risk_alerts.sql'), '\nwhere no_such_column = 1\n');
    const before = await withWarehouse(db, (wh) => wh.all('select alert_id from mart.risk_alerts order by 1'));
    const r = await runNightly({ db, config, asOf: '2024-12-31', log: silentLogger(), sqlDir });
    expect(r.exitCode).toBe(1);
    expect(r.error?.code).toBe('model-failed');
    expect(r.error?.model).toBe('mart.risk_alerts');
    await withWarehouse(db, async (wh) => {
      expect(await wh.all('select alert_id from mart.risk_alerts order by 1')).toEqual(before);
      const run = await wh.one('select status, exit_code, error from meta.runs where run_id = ?', [r.runId]);
      expect(run?.status).toBe('failed');
      expect(run?.exit_code).toBe(1);
      expect(run?.error).toContain('mart.risk_alerts');
    });
  });

  it('summarises entities per class, alerts per rule and the riskiest counties', async () => {
    const s = await readRiskSummary(db, { minEntities: 1 });
    expect(s.entities).toBeGreaterThan(0);
    expect(s.classes.reduce((n, c) => n + c.entities, 0)).toBe(s.entities);
    expect(s.alerts.map((a) => a.ruleCode)).toContain('license-level-conflict');
    expect(s.counties.length).toBeGreaterThan(0);
    expect(formatRiskSummary(s)).toContain('riskiest counties');
  });

  it('reads --date and --from/--to as the days to load', () => {
    expect(runDays({})).toEqual([undefined]);
    expect(runDays({ date: '2024-12-01' })).toEqual(['2024-12-01']);
    expect(runDays({ from: '2024-02-28', to: '2024-03-01' })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(() => runDays({ from: '2024-03-01' })).toThrow(/go together/);
    expect(() => runDays({ date: '2024-03-01', to: '2024-03-02' })).toThrow(/not both/);
    expect(() => runDays({ from: '2024-03-02', to: '2024-03-01' })).toThrow(/after/);
  });
});
