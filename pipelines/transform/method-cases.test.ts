// The worked examples of the risk method (method-cases.ts, printed in sql/README-models.md) hold: loaded into a
// fresh warehouse, each case's entity gets exactly its documented factors and alerts as of METHOD_AS_OF, and the
// independent recomputation (testkit/recompute.ts) gives the same factors.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { caseUscc, loadMethodCases } from '../../testkit/method-warehouse.ts';
import { readCore, recomputeScores } from '../../testkit/recompute.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { METHOD_AS_OF, METHOD_CASES } from './method-cases.ts';
import { defaultRiskConfig } from './risk-config.ts';
import { runTransform } from './transform.ts';

describe('the risk method, case by case', () => {
  let cleanup: () => void;
  let db: string;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    db = join(dir, 'cases.duckdb');
    const wh = await openWarehouse(db);
    try {
      await loadMethodCases(wh, METHOD_CASES);
      await runTransform(wh, { log: silentLogger(), asOf: METHOD_AS_OF, riskConfig: defaultRiskConfig() });
    } finally {
      wh.close();
    }
  });
  afterAll(() => cleanup?.());

  it.each(METHOD_CASES.map((c, i) => [c.id, i] as const))('%s', async (_id, index) => {
    const c = METHOD_CASES[index] as (typeof METHOD_CASES)[number];
    const uscc = c.entityId ?? caseUscc(index);
    await withWarehouse(db, async (wh) => {
      const factors = Object.fromEntries(
        (await wh.all('select factor, points from mart.risk_factors where entity_id = ?', [uscc])).map((r) => [r.factor, Number(r.points)]),
      );
      expect(factors).toEqual(c.factors);
      const alerts = (await wh.all('select rule_code from mart.risk_alerts where entity_id = ? order by rule_code', [uscc])).map((r) => r.rule_code);
      expect(alerts).toEqual([...c.alerts].sort());
      const expected = recomputeScores(await readCore(wh), defaultRiskConfig(), METHOD_AS_OF).get(uscc)?.factors ?? {};
      expect(expected).toEqual(c.factors);
    });
  });

  it('keeps the records of subjects that are no entity in core.uncoded_subjects, and keys a 注册号 entity by it', async () => {
    await withWarehouse(db, async (wh) => {
      expect(await wh.all('select feed, subject_kind, reason, fine_yuan::double as fine from core.uncoded_subjects')).toEqual([
        { feed: 'penalty', subject_kind: '自然人', reason: 'natural-person', fine: 5000 },
      ]);
      expect(await wh.all("select entity_id, uscc, reg_no, id_kind, kind, region_code from core.entities where id_kind = 'reg_no'")).toEqual([
        { entity_id: '130123600012345', uscc: null, reg_no: '130123600012345', id_kind: 'reg_no', kind: '个体工商户', region_code: '130123' },
      ]);
    });
  });
});
