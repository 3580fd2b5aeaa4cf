// The generated models document is current, and the hand-written catalogues agree with the SQL they describe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEED_NAMES, FEEDS } from '../../schemas/feeds/index.ts';
import { withWarehouse } from '../../warehouse/db.ts';
import { DEFAULT_SQL_DIR, discoverModels } from '../catalog/models.ts';
import { MODELS_DOC, modelsTable } from './docs.ts';
import { ALERT_RULES, RISK_FACTORS } from './rules.ts';

const sql = (file: string) => readFileSync(join(DEFAULT_SQL_DIR, file), 'utf8');

describe('sql/README-models.md', () => {
  it('is what modelsTable() generates (run `node bin/run-ts.mjs pipelines/transform/docs.ts` after changing a model)', async () => {
    expect(readFileSync(join(DEFAULT_SQL_DIR, MODELS_DOC), 'utf8')).toBe(await modelsTable());
  });
});

describe('model catalogues', () => {
  it('document exactly the rule codes risk_alert_evidence.sql can emit, and risk_alerts.sql words each', () => {
    const codes = [...sql('marts/risk_alert_evidence.sql').matchAll(/'([a-z-]+)' as rule_code/g)].map((m) => m[1]).sort();
    expect(codes).toEqual(ALERT_RULES.map((r) => r.code).sort());
    const worded = [...sql('marts/risk_alerts.sql').matchAll(/when '([a-z-]+)' then format/g)].map((m) => m[1]).sort();
    expect(worded).toEqual(codes);
  });

  it('document exactly the factors risk_factors.sql scores', () => {
    const text = sql('marts/risk_factors.sql');
    const factors = [...text.matchAll(/\('([a-z_]+)', jg_param_int/g), ...text.matchAll(/'([a-z_]+)' as factor/g)].map((m) => m[1]).sort();
    expect(factors).toEqual(RISK_FACTORS.map((f) => f.factor).sort());
  });

  it('has one staging model per feed, merging on the feed’s natural key', async () => {
    const models = await withWarehouse(':memory:', (wh) => discoverModels(wh));
    for (const feed of FEED_NAMES) {
      const m = models.find((x) => x.name === `staging.${feed}`);
      expect(m, feed).toBeDefined();
      expect(m?.notes, feed).toContain(`natural_key: ${FEEDS[feed].naturalKey.join(', ')}`);
    }
  });
});
