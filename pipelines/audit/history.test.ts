// Three nightly runs over changing inputs (the landing zone regenerated as of three month ends), each appended
// to the history with its manifest; then as-of questions must give back what each run saw, a backfill of an
// earlier date must not change what later runs saw, and `runs show` must list the changes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { writeHandMadeMarts } from '../../testkit/hand-made-marts.ts';
import { HISTORY_DATES as DATES, runAndSee, type SeenData } from '../../testkit/history.ts';
import { copyWarehouseFile } from '../../testkit/shared.ts';
import { col } from '../../warehouse/columns.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { migrate } from '../../warehouse/schema/migrate.ts';
import { alertsAsOf, classAsOf } from './history.ts';
import { appendHistory } from './history-append.ts';
import { formatRunShow } from './manifest-format.ts';
import { runRunsShow } from './manifest-show.ts';

interface Seen {
  runId: number;
  asOf: string;
  classes: Map<string, string>;
  alerts: Map<string, string[]>;
}

/** Every entity's class on `d` per the history view, in one query (classAsOf is checked on a sample). */
async function classesOn(db: string, d: string): Promise<Map<string, string>> {
  const rows = await withWarehouse(db, (wh) =>
    wh.rows(
      'select entity_id, risk_class from history.entity_class where present and valid_from <= ?::date and (valid_to is null or valid_to > ?::date)',
      [d, d],
      {
        entity_id: col.text(),
        risk_class: col.text(),
      },
    ),
  );
  return new Map(rows.map((r) => [r.entity_id, r.risk_class]));
}

const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const toSeen = (d: SeenData): Seen => ({ runId: d.runId, asOf: d.asOf, classes: new Map(d.classes), alerts: new Map(d.alerts) });

describe('history', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  let config: string;
  const seen: Seen[] = [];

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    const shared = inject('historyWarehouse');
    db = copyWarehouseFile(shared.db, join(dir, 'w.duckdb'));
    config = shared.config;
    seen.push(...shared.seen.map(toSeen));
  });
  afterAll(() => cleanup());

  it('answers "which class on date D, from which run" with what the run for that date saw', async () => {
    const everyone = new Set(seen.flatMap((s) => [...s.classes.keys()]));
    const moved = [...everyone].filter((u) => new Set(seen.map((s) => s.classes.get(u) ?? '—')).size > 1);
    expect(moved.length).toBeGreaterThan(0);
    expect((await classesOn(db, '2024-10-30')).size).toBe(0);
    for (const [i, s] of seen.entries()) {
      for (const d of i < seen.length - 1 ? [s.asOf, plusDays(s.asOf, 12)] : [s.asOf, '2025-06-30']) {
        expect(Object.fromEntries(await classesOn(db, d))).toEqual(Object.fromEntries(s.classes));
      }
    }
    await withWarehouse(db, async (wh) => {
      const sample = [...moved.slice(0, 8), ...[...everyone].slice(0, 4)];
      for (const uscc of sample) {
        expect(await classAsOf(wh, uscc, '2024-10-30')).toBeNull();
        for (const s of seen) {
          const h = await classAsOf(wh, uscc, plusDays(s.asOf, 3));
          const want = s.classes.get(uscc) ?? null;
          expect({ uscc, cls: h?.present ? h.risk_class : null }).toEqual({ uscc, cls: want });
          // the interval names the run that established it, which saw the same class
          expect(seen.find((x) => x.runId === h?.run_id)?.classes.get(uscc) ?? null).toBe(want);
        }
      }
    });
  });

  it('names the input files behind a class (the raw rows of its factors)', async () => {
    const last = seen[2] as Seen;
    await withWarehouse(db, async (wh) => {
      const risky = await wh.scalar(
        "select entity_id from mart.entity_risk where risk_class <> 'A' order by score desc, entity_id limit 1",
        col.text(),
      );
      const h = await classAsOf(wh, risky, last.asOf);
      expect(h?.inputs.length).toBeGreaterThan(0);
      for (const i of h?.inputs ?? []) expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(h?.code_version).toBeTruthy();
      expect(Array.isArray(h?.factors)).toBe(true);
    });
  });

  it('keeps alert states: open on the dates the run saw them', async () => {
    await withWarehouse(db, async (wh) => {
      for (const s of seen) {
        for (const [uscc, ids] of s.alerts) {
          expect((await alertsAsOf(wh, uscc, s.asOf)).map((a) => a.alert_id).sort()).toEqual([...ids].sort());
        }
      }
      // an alert of run 1 gone by run 3 is closed, not deleted
      const gone = [...(seen[0] as Seen).alerts.entries()].flatMap(([u, ids]) => ids.filter((id) => !(seen[2] as Seen).alerts.get(u)?.includes(id)));
      for (const id of gone)
        expect(await wh.scalarNumber('select count(*) from history.alert_events where alert_id = ? and not present', [id])).toBeGreaterThan(0);
    });
  });

  it('never rewrites: appending a run twice adds nothing, and a backfill of an earlier date leaves later dates as they were', async () => {
    const before = await withWarehouse(db, (wh) => wh.all('select * from history.entity_class_events order by seq'));
    const again = await withWarehouse(db, (wh) => appendHistory(wh, (seen[2] as Seen).runId, DATES[2]));
    expect(again.already).toBe(true);
    // re-run 30 Nov on today's (December) files: a different picture of November
    const back = toSeen(await runAndSee(db, config, DATES[1]));
    const redrawn = [...back.classes].filter(([u, c]) => (seen[1] as Seen).classes.get(u) !== c);
    expect(redrawn.length).toBeGreaterThan(0);
    await withWarehouse(db, async (wh) => {
      const after = await wh.all('select * from history.entity_class_events order by seq');
      expect(after.slice(0, before.length)).toEqual(before);
    });
    expect(Object.fromEntries(await classesOn(db, '2024-12-15'))).toEqual(Object.fromEntries(back.classes));
    expect(Object.fromEntries(await classesOn(db, DATES[2]))).toEqual(Object.fromEntries((seen[2] as Seen).classes));
    expect(Object.fromEntries(await classesOn(db, DATES[0]))).toEqual(Object.fromEntries((seen[0] as Seen).classes));
  });

  it('shows a run: files, table counts with changes, class moves and alerts', async () => {
    const s = await runRunsShow({ db, runId: (seen[2] as Seen).runId });
    expect(s.manifest?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.batches.length).toBeGreaterThan(0);
    expect(s.tables.find((t) => t.table === 'mart.entity_risk')?.rows).toBe((seen[2] as Seen).classes.size);
    const moves = s.changes?.class_moves.reduce((n, m) => n + m.n, 0) ?? 0;
    const changed = [...new Set([...(seen[1] as Seen).classes.keys(), ...(seen[2] as Seen).classes.keys()])].filter(
      (u) => (seen[1] as Seen).classes.get(u) !== (seen[2] as Seen).classes.get(u),
    );
    expect(moves).toBe(changed.length);
    expect(formatRunShow(s)).toContain('risk changes as of 2024-12-31');
  });
});

describe('appendHistory (hand-made marts)', () => {
  const at = async (wh: Warehouse, d: string) =>
    Object.fromEntries(
      (
        await wh.all(
          'select entity_id, risk_class from history.entity_class where present and valid_from <= ?::date and (valid_to is null or valid_to > ?::date) order by 1',
          [d, d],
        )
      ).map((r) => [r.entity_id, r.risk_class]),
    );

  it('stores changes only, closes what disappears, and restates the next date after a backfill', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      await withWarehouse(join(dir, 'h.duckdb'), async (wh) => {
        await migrate(wh);
        await writeHandMadeMarts(wh, { U1: 'A', U2: 'B' }, ['al-1']);
        await appendHistory(wh, 1, '2024-10-31');
        await writeHandMadeMarts(wh, { U1: 'A', U2: 'C', U3: 'D' }, []);
        await appendHistory(wh, 2, '2024-11-30');
        await writeHandMadeMarts(wh, { U1: 'A', U3: 'D' }, ['al-2']);
        const r3 = await appendHistory(wh, 3, '2024-12-31');
        expect(r3.classEvents).toBe(1); // only U2 left
        expect(await wh.scalarNumber('select count(*) from history.entity_class_events')).toBe(5);
        // backfill of 30 Nov: U1 was really D then; December (run 3) saw A and must keep it
        await writeHandMadeMarts(wh, { U1: 'D', U2: 'C', U3: 'D' }, []);
        await appendHistory(wh, 4, '2024-11-30');
        expect(await at(wh, '2024-10-31')).toEqual({ U1: 'A', U2: 'B' });
        expect(await at(wh, '2024-12-01')).toEqual({ U1: 'D', U2: 'C', U3: 'D' });
        expect(await at(wh, '2024-12-31')).toEqual({ U1: 'A', U3: 'D' });
        const restated = await wh.one('select run_id, restates_run, risk_class from history.entity_class_events where restates_run is not null');
        expect(restated).toEqual({ run_id: '3', restates_run: '3', risk_class: 'A' });
        expect((await classAsOf(wh, 'U1', '2025-01-15'))?.run_id).toBe(3);
        expect((await classAsOf(wh, 'U2', '2025-01-15'))?.present).toBe(false);
        expect((await alertsAsOf(wh, 'U1', '2024-11-01')).map((a) => a.alert_id)).toEqual(['al-1']);
        expect((await alertsAsOf(wh, 'U1', '2024-12-01')).map((a) => a.alert_id)).toEqual([]);
        expect((await alertsAsOf(wh, 'U1', '2025-01-01')).map((a) => a.alert_id)).toEqual(['al-2']);
      });
    } finally {
      cleanup();
    }
  });
});
