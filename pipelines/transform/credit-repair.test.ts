// 信用修复 and paid court debts, on a copy of the generated warehouse with planted listings and penalties altered
// at the raw layer: a 失信 listing marked 全部已履行 scores nothing and makes no 联合惩戒 alert; a penalty past its
// 公示截止期 (publish_until < as_of) scores nothing, one whose publish_until is as_of itself still does; and the
// independent recomputation (testkit/recompute.ts) agrees with the marts on every entity.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { readCore, recomputeScores } from '../../testkit/recompute.ts';
import { brokenWarehouse } from '../../testkit/shared.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { openWarehouse } from '../../warehouse/schema/open.ts';
import { defaultRiskConfig } from './risk-config.ts';
import { runTransform } from './transform.ts';

interface Manifest {
  as_of: string;
  risks: { kind: string; uscc: string; evidence: { feed: string }[] }[];
}

const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('credit repair: paid court debts and penalties past their publicity period', () => {
  let cleanup: () => void;
  let db: string;
  let manifest: Manifest;
  let paid: string[] = [];
  let expired = '';
  let lastDay = '';

  const raw = async (wh: Warehouse, table: string, idCol: string, uscc: string) =>
    wh.all(`select x.l.batch_id as b, x.l.record_no as r from ${table}, unnest(lineage) as x(l) where uscc = ? order by ${idCol}`, [uscc]);

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    const w = brokenWarehouse(dir);
    db = w.db;
    manifest = JSON.parse(readFileSync(w.manifest, 'utf8')) as Manifest;
    const usccs = (kind: string, feed: string) =>
      manifest.risks.filter((r) => r.kind === kind && r.evidence.some((e) => e.feed === feed)).map((r) => r.uscc);
    paid = usccs('debtor-granted-license', 'dishonest_debtor');
    [expired = '', lastDay = ''] = usccs('large-fine', 'penalty');
    const wh = await openWarehouse(db);
    try {
      for (const u of paid) {
        for (const v of await raw(wh, 'core.credit_events', "event_type = 'dishonest_debtor'", u))
          await wh.run(`update raw.dishonest_debtor set performance = '全部已履行' where _batch_id = ? and _record_no = ?`, [v.b, v.r]);
      }
      for (const [u, until] of [
        [expired, dayBefore(manifest.as_of)],
        [lastDay, manifest.as_of],
      ] as const) {
        for (const v of await raw(wh, 'core.penalties', 'true', u))
          await wh.run('update raw.penalty set publish_until = ? where _batch_id = ? and _record_no = ?', [until, v.b, v.r]);
      }
      await runTransform(wh, { log: silentLogger(), asOf: manifest.as_of, riskConfig: defaultRiskConfig() });
    } finally {
      wh.close();
    }
  });
  afterAll(() => cleanup());

  it('scores no paid 失信 listing and fires no 联合惩戒 alert for it', async () => {
    expect(paid.length).toBeGreaterThan(0);
    await withWarehouse(db, async (wh) => {
      for (const u of paid) {
        const events = await wh.all("select performance, in_force from core.credit_events where uscc = ? and event_type = 'dishonest_debtor'", [u]);
        expect(events.length, u).toBeGreaterThan(0);
        expect(
          events.every((e) => e.performance === '全部已履行' && e.in_force === false),
          u,
        ).toBe(true);
        const items = await wh.all(
          "select factor, kind from mart.risk_factor_items where entity_id = ? and factor in ('dishonest_debtor', 'license_problems')",
          [u],
        );
        expect(items, u).toEqual([]);
        expect(await wh.all("select rule_code from mart.risk_alerts where entity_id = ? and rule_code = 'debtor-granted-license'", [u])).toEqual([]);
      }
    });
  });

  it('stops scoring a penalty once publish_until < as_of, and still scores it on publish_until itself', async () => {
    expect(expired).not.toBe('');
    expect(lastDay).not.toBe('');
    await withWarehouse(db, async (wh) => {
      const items = (u: string) => wh.scalarNumber("select count(*) from mart.risk_factor_items where entity_id = ? and factor = 'penalties'", [u]);
      expect(
        await wh.scalarNumber('select count(*) from core.penalties where uscc = ? and publish_until < ?', [expired, manifest.as_of]),
      ).toBeGreaterThan(0);
      expect(await items(expired)).toBe(0);
      expect(
        await wh.scalarNumber('select count(*) from core.penalties where uscc = ? and publish_until = ?', [lastDay, manifest.as_of]),
      ).toBeGreaterThan(0);
      expect(await items(lastDay)).toBeGreaterThan(0);
    });
  });

  it('agrees with the independent recomputation on every entity', async () => {
    await withWarehouse(db, async (wh) => {
      const core = await readCore(wh);
      const expected = recomputeScores(core, defaultRiskConfig(), manifest.as_of);
      for (const r of await wh.all('select entity_id, score, factors from mart.entity_risk')) {
        const want = expected.get(r.entity_id) ?? { score: 0, factors: {} };
        const got = Object.fromEntries((r.factors as { factor: string; points: number }[]).map((f) => [f.factor, f.points]));
        expect({ id: r.entity_id, score: r.score, factors: got }).toEqual({ id: r.entity_id, score: want.score, factors: want.factors });
      }
    });
  });
});
