// The official class counts (issue 9.6): the published 企业信用风险分类 in force on as_of (rated R, in force while
// R ≤ as_of < R + classes.rating_validity_months) is combined with our computed class (classes.combine), and an
// entity the data says nothing about gets classes.no_data_class. Checked against the independent recomputation
// (testkit/recompute.ts recomputeClasses) on every entity of the shared generated warehouse, and on one planted
// entity whose only rating is moved to 2024-01-31 (the month-end clamp: + 1 month = 2024-02-29).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { addMonths, readClassInputs, readCore, recomputeClasses, recomputeScores } from '../../testkit/recompute.ts';
import { brokenWarehouse } from '../../testkit/shared.ts';
import type { Row } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { parseRiskConfig, type RiskConfigInput } from './risk-config.ts';
import { runTransform } from './transform.ts';

const AS_OF = '2024-12-31';
const RATED_ON = '2024-01-31';
const COLUMNS = 'entity_id, score, computed_class, reported_class, reported_on, reported_event_id, risk_class, class_source';

describe('the official class counts: ratings in force, combine, no-data class', () => {
  let cleanup: () => void;
  let db: string;
  /** The planted entity: no scored factor, no inspection, its only rating D dated RATED_ON. */
  let planted = '';

  /** Transform as of `asOf` with `cfg`, compare every entity with the recomputation, return the marts' rows. */
  const run = async (asOf: string, cfg: RiskConfigInput = {}) => {
    const config = parseRiskConfig(cfg);
    const wh = await openWarehouse(db);
    try {
      await runTransform(wh, { log: silentLogger(), asOf, riskConfig: config });
      const scores = recomputeScores(await readCore(wh), config, asOf);
      const want = recomputeClasses(scores, await readClassInputs(wh), config, asOf);
      const rows = await wh.all(`select ${COLUMNS}, risk_label, region_code from mart.entity_risk order by entity_id`);
      expect(rows.length).toBe(want.size);
      for (const r of rows) {
        const got = Object.fromEntries(COLUMNS.split(', ').map((c) => [c, r[c] ?? null]));
        expect(got).toEqual({ entity_id: r.entity_id, ...want.get(r.entity_id) });
      }
      const plan = new Set((await wh.all('select entity_id from mart.inspection_plan')).map((p) => String(p.entity_id)));
      return { rows: new Map(rows.map((r) => [String(r.entity_id), r])), plan };
    } finally {
      wh.close();
    }
  };
  const planted_ = (r: Awaited<ReturnType<typeof run>>): Row => r.rows.get(planted) as Row;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    db = brokenWarehouse(dir).db;
    const wh = await openWarehouse(db);
    try {
      await runTransform(wh, { log: silentLogger(), asOf: AS_OF, riskConfig: parseRiskConfig({}) });
      // an entity with ratings, no factor rows and no inspection at all: all its rating rows become one D rating
      planted = String(
        (
          await wh.one(`select e.entity_id from mart.entity_risk as e
          where len(e.factors) = 0 and e.last_inspected_on is null
            and exists (select 1 from raw.credit_rating as r where upper(trim(r.uscc)) = e.entity_id)
          order by e.entity_id limit 1`)
        )?.entity_id,
      );
      await wh.run('update raw.credit_rating set rated_on = ?, risk_class = ?, score = 900 where upper(trim(uscc)) = ?', [RATED_ON, 'D', planted]);
      // and the files that carry it were known on that day, so that as-of dates from RATED_ON on see it
      await wh.run('update meta.batches set known_on = ? where batch_id in (select _batch_id from raw.credit_rating where upper(trim(uscc)) = ?)', [
        RATED_ON,
        planted,
      ]);
    } finally {
      wh.close();
    }
  });
  afterAll(() => cleanup());

  it('agrees with the recomputation on every entity, and every entity rated D in force is class D and drawn', async () => {
    const r = await run(AS_OF);
    const ratedD = [...r.rows.values()].filter((e) => e.reported_class === 'D');
    expect(ratedD.length).toBeGreaterThan(0);
    for (const e of ratedD) {
      expect({ id: e.entity_id, cls: e.risk_class }).toEqual({ id: e.entity_id, cls: 'D' });
      expect(['official', 'both']).toContain(e.class_source);
      if (e.region_code !== null) expect(r.plan.has(String(e.entity_id)), String(e.entity_id)).toBe(true);
    }
    // the planted rating (2024-01-31) is 11 months old on 2024-12-31: still in force under the 12-month default
    expect(planted_(r)).toMatchObject({ reported_class: 'D', reported_on: RATED_ON, risk_class: 'D', class_source: 'official' });
    // an entity the data says nothing about is 一般 by default, labelled as such, never 信用风险低
    const noData = [...r.rows.values()].filter((e) => e.class_source === 'no-data');
    expect(noData.length).toBeGreaterThan(0);
    for (const e of noData) expect({ cls: e.risk_class, label: e.risk_label }).toEqual({ cls: 'B', label: '信用风险一般（无信用记录）' });
  });

  it('holds a rating in force for N calendar months, clamped to month end: not on R + N months, still the day before', async () => {
    expect(addMonths(RATED_ON, 1)).toBe('2024-02-29');
    const one = { classes: { rating_validity_months: 1 } };
    const before = await run('2024-02-28', one);
    expect(planted_(before)).toMatchObject({
      score: 0,
      computed_class: 'A',
      reported_class: 'D',
      reported_on: RATED_ON,
      risk_class: 'D',
      class_source: 'official',
      risk_label: '信用风险高',
    });
    expect(before.plan.has(planted)).toBe(true);
    const expired = await run('2024-02-29', one);
    // nothing else is known about it: no factor, no rating in force, no inspection → the no-data class
    expect(planted_(expired)).toMatchObject({
      score: 0,
      computed_class: 'B',
      reported_class: null,
      reported_on: null,
      reported_event_id: null,
      risk_class: 'B',
      class_source: 'no-data',
      risk_label: '信用风险一般（无信用记录）',
    });
    // the default 12 months: 2024-01-31 + 12 months = 2025-01-31
    expect(planted_(await run('2025-01-30'))).toMatchObject({ reported_on: RATED_ON, risk_class: 'D' });
    expect(planted_(await run('2025-01-31'))).toMatchObject({ reported_class: null, class_source: 'no-data' });
  });

  it('combines by classes.combine and applies classes.no_data_class', async () => {
    const one = { rating_validity_months: 1 };
    const computed = await run('2024-02-28', { classes: { ...one, combine: 'computed' } });
    expect(planted_(computed)).toMatchObject({ reported_class: 'D', risk_class: 'A', class_source: 'computed', risk_label: '信用风险低' });
    for (const e of computed.rows.values()) if (e.class_source !== 'no-data') expect(e.risk_class).toBe(e.computed_class);
    const official = await run('2024-02-28', { classes: { ...one, combine: 'official' } });
    expect(planted_(official)).toMatchObject({ risk_class: 'D', class_source: 'official' });
    for (const e of official.rows.values()) if (e.reported_class !== null) expect(e.risk_class).toBe(e.reported_class);
    const noDataD = await run('2024-02-29', { classes: { ...one, no_data_class: 'D' } });
    expect(planted_(noDataD)).toMatchObject({
      computed_class: 'D',
      risk_class: 'D',
      class_source: 'no-data',
      risk_label: '信用风险高（无信用记录）',
    });
    expect(noDataD.plan.has(planted)).toBe(true);
  });
});
