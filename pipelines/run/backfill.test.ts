// Backfills do not regress what analysts see (issue 10.7, 10.8). On the shared history warehouse (nightly runs as
// of 2024-10-31, 11-30 and 12-31; the last one published): a backfill to an earlier date succeeds, labels each
// day, records its history, and keeps the published snapshot and its as-of unless `--publish`; `runs show` of the
// backfill lists only the class moves against what the history held for that date; a `transform` publishes like
// `run`, with the same rule, so `query` (without --live) reads the marts it built.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { writeHandMadeMarts } from '../../testkit/hand-made-marts.ts';
import { HISTORY_DATES } from '../../testkit/history.ts';
import { copyWarehouseFile } from '../../testkit/shared.ts';
import { col } from '../../warehouse/columns.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { migrate } from '../../warehouse/schema/migrate.ts';
import { readPublished, snapshotPath } from '../../warehouse/snapshot.ts';
import { appendHistory } from '../audit/history-append.ts';
import { startRun } from '../audit/ledger.ts';
import { formatRunShow } from '../audit/manifest-format.ts';
import { showRun } from '../audit/manifest-show.ts';
import { runQuery } from '../serve/query.ts';
import { runNightly } from './nightly.ts';
import { runTransformCommand } from './transform-command.ts';

const LAST = HISTORY_DATES[2];
const NOVEMBER = HISTORY_DATES[1];

describe('backfills and publishing', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let config: string;
  let novemberSeen: Map<string, string>;
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    const shared = inject('historyWarehouse');
    db = copyWarehouseFile(shared.db, join(dir, 'w.duckdb'));
    config = shared.config;
    novemberSeen = new Map(shared.seen[1]?.classes ?? []);
  });
  afterAll(() => cleanup());

  const classes = () =>
    withWarehouse(db, async (wh) => {
      const rows = await wh.rows('select entity_id, risk_class from mart.entity_risk', { entity_id: col.text(), risk_class: col.text() });
      return new Map(rows.map((r) => [r.entity_id, r.risk_class]));
    });

  it('a backfill to an earlier date keeps the published snapshot, says so, and records it', async () => {
    const before = await readPublished(db);
    expect(before?.as_of).toBe(LAST);
    const mtime = statSync(snapshotPath(db)).mtimeMs;
    const r = await runNightly({ db, config, from: '2024-11-29', to: NOVEMBER, log: silentLogger() });
    expect(r.error).toBeNull();
    expect(r.exitCode).toBe(0);
    // each day's load is labelled with its date
    expect(r.load.map((l) => l.date)).toEqual(['2024-11-29', NOVEMBER]);
    expect(r.publish).toEqual({
      published: false,
      asOf: NOVEMBER,
      previousAsOf: LAST,
      reason: `the published snapshot is as of ${LAST}, newer than ${NOVEMBER}; use --publish to replace it`,
    });
    expect(await readPublished(db)).toEqual(before);
    expect(statSync(snapshotPath(db)).mtimeMs).toBe(mtime);
    await withWarehouse(db, async (wh) => {
      expect(await wh.one('select status, exit_code from meta.runs where run_id = ?', [r.runId])).toEqual({ status: 'succeeded', exit_code: 0 });
      expect(await wh.scalarNumber('select count(*) from history.runs where run_id = ?', [r.runId])).toBe(1);
      const m = JSON.parse(String((await wh.one('select manifest from meta.run_manifests where run_id = ?', [r.runId]))?.manifest));
      expect(m.publish).toEqual({ as_of: NOVEMBER, published: false, previous_as_of: LAST, reason: r.publish?.reason });
    });
    // `query` still reads December
    const q = await runQuery({ db, sql: "select strftime(as_of, '%Y-%m-%d') as as_of, run_id from meta.published" });
    expect(q.rows.map((x) => ({ as_of: x.as_of, run_id: Number(x.run_id) }))).toEqual([{ as_of: LAST, run_id: before?.run_id }]);
  });

  it('`runs show` of the backfill lists only the class moves against the history for that date', async () => {
    const now = await classes();
    const runId = await withWarehouse(db, (wh) => wh.scalarNumber('select max(run_id) from meta.runs'));
    const s = await withWarehouse(db, (wh) => showRun(wh, runId), { readOnly: true });
    expect(s.changes?.as_of).toBe(NOVEMBER);
    expect(s.changes?.baseline_as_of).toBe(NOVEMBER);
    const moved = [...new Set([...novemberSeen.keys(), ...now.keys()])].filter((u) => novemberSeen.get(u) !== now.get(u));
    const listed = s.changes?.class_moves.reduce((n, m) => n + m.n, 0) ?? 0;
    expect(listed).toBe(moved.length);
    expect(listed).toBeLessThan(now.size);
    for (const e of s.changes?.entities ?? []) {
      expect(e.from).toBe(novemberSeen.get(e.entity_id) ?? '—');
      expect(e.to).toBe(now.get(e.entity_id) ?? '—');
    }
    expect(s.publish?.published).toBe(false);
    expect(formatRunShow(s)).toContain(`not published (marts as of ${NOVEMBER}): the published snapshot is as of ${LAST}`);
  });

  it('with --publish, a backfill replaces the published snapshot', async () => {
    const r = await runNightly({ db, config, date: NOVEMBER, publish: true, log: silentLogger() });
    expect(r.exitCode).toBe(0);
    expect(r.publish).toMatchObject({ published: true, asOf: NOVEMBER, previousAsOf: LAST });
    expect(await readPublished(db)).toMatchObject({ run_id: r.runId, as_of: NOVEMBER });
  });

  it('`transform` publishes like `run`: query without --live reads the marts it built; never an earlier date unasked', async () => {
    const t = await runTransformCommand({ db, asOf: LAST, log: silentLogger() });
    expect(t.publish).toMatchObject({ published: true, asOf: LAST, previousAsOf: NOVEMBER });
    expect(t.snapshot).toBe(snapshotPath(db));
    expect(await readPublished(db)).toMatchObject({ run_id: t.runId, as_of: LAST });
    const sql = 'select entity_id, risk_class, score from mart.entity_risk order by entity_id';
    const [served, live] = await Promise.all([runQuery({ db, sql }), runQuery({ db, sql, live: true })]);
    expect(served.rows.length).toBeGreaterThan(0);
    expect(served.rows).toEqual(live.rows);

    const back = await runTransformCommand({ db, asOf: NOVEMBER, log: silentLogger() });
    expect(back.snapshot).toBeNull();
    expect(back.publish).toMatchObject({ published: false, asOf: NOVEMBER, previousAsOf: LAST });
    expect(await readPublished(db)).toMatchObject({ run_id: t.runId, as_of: LAST });
  });
});

describe('the published as-of', () => {
  it('is read from meta.published, or from meta.params in a snapshot published before meta.published.as_of', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const db = join(dir, 'w.duckdb');
      await withWarehouse(snapshotPath(db), async (wh) => {
        await wh.run('create schema meta');
        await wh.run("create table meta.params as select 'as_of' as name, '2024-12-31' as value");
        await wh.run('create table meta.published as select now() as published_at, 7::bigint as run_id');
      });
      expect(await readPublished(db)).toMatchObject({ run_id: 7, as_of: '2024-12-31' });
      await withWarehouse(snapshotPath(db), (wh) => wh.run("alter table meta.published add column as_of date default '2025-01-31'"));
      expect(await readPublished(db)).toMatchObject({ run_id: 7, as_of: '2025-01-31' });
      expect(await readPublished(join(dir, 'none.duckdb'))).toBeNull();
    } finally {
      cleanup();
    }
  });
});

describe('`runs show` of a backfill before every recorded date (hand-made marts)', () => {
  const run = async (wh: Warehouse, asOf: string, classes: Record<string, string>) => {
    const runId = await startRun(wh, { command: 'run', args: { as_of: asOf }, configFile: null, configHash: null, codeVersion: 'test' });
    await writeHandMadeMarts(wh, classes);
    await appendHistory(wh, runId, asOf);
    return runId;
  };

  it('shows the first recorded state, not every entity moving from nothing; then only real moves', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      await withWarehouse(join(dir, 'h.duckdb'), async (wh) => {
        await migrate(wh);
        await run(wh, '2024-12-31', { U1: 'A', U2: 'B', U3: 'C' });
        // a backfill to a date before anything recorded: the history held no state for it
        const early = await run(wh, '2024-11-30', { U1: 'A', U2: 'C', U3: 'C' });
        const s = await showRun(wh, early);
        expect(s.changes?.baseline_as_of).toBeNull();
        expect(s.changes?.class_moves).toEqual([]);
        expect(s.changes?.first_recorded).toEqual([
          { class: 'A', n: 1 },
          { class: 'C', n: 2 },
        ]);
        expect(formatRunShow(s)).toContain('first recorded state');
        // the same date again with one entity changed: one move, against the backfill's state of that date
        const again = await run(wh, '2024-11-30', { U1: 'B', U2: 'C', U3: 'C' });
        const t = await showRun(wh, again);
        expect(t.changes?.baseline_as_of).toBe('2024-11-30');
        expect(t.changes?.class_moves).toEqual([{ from: 'A', to: 'B', n: 1 }]);
        // a later date compares with the latest state at or before it
        const later = await run(wh, '2025-01-31', { U1: 'A', U2: 'B', U3: 'D', U4: 'A' });
        const u = await showRun(wh, later);
        expect(u.changes?.baseline_as_of).toBe('2024-12-31');
        expect([...(u.changes?.class_moves ?? [])].sort((a, b) => a.to.localeCompare(b.to))).toEqual([
          { from: '—', to: 'A', n: 1 },
          { from: 'C', to: 'D', n: 1 },
        ]);
      });
    } finally {
      cleanup();
    }
  });
});
