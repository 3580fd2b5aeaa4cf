// The short risk summary that ends `npm run demo` (and `jianguan run` on a terminal): entities per class, alerts
// per rule, the riskiest counties, the court listings of companies that match no entity, and the subjects without a credit code. Data first (for --json), then a plain-text rendering.
// The aligned-table helper of the CLI's other summaries (CJK-width aware), so the demo output matches them.
import { table } from '../../lib/format.ts';
import { col } from '../../warehouse/columns.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { codes } from './codes.ts';
import { ALERT_RULES } from './rules.ts';

export interface RiskSummary {
  asOf: string | null;
  entities: number;
  /** Entities per final class (mart.entity_risk.risk_class, after classes.combine). */
  classes: { riskClass: string; label: string; entities: number }[];
  /** Entities per class_source: where the final class came from (code set entity_risk.class_source). */
  classSources: { classSource: string; label: string; entities: number }[];
  alerts: { ruleCode: string; title: string; alerts: number; high: number; medium: number; low: number }[];
  counties: { regionCode: string; name: string; city: string | null; entities: number; meanScore: number; classD: number; alerts: number }[];
  /** 失信被执行人 listings of companies that match no entity (core.unmatched_listings), per reason. */
  unmatchedListings: { reason: string; listings: number }[];
  /** Entities known only by a 个体工商户's 注册号 (core.entities id_kind 'reg_no'), scored like the others. */
  registrationOnly: number;
  /** Licences and penalties of subjects that are no entity (core.uncoded_subjects), per reason. */
  /** fines as an exact decimal string (money never goes through a double) */
  uncoded: { reason: string; records: number; subjects: number; finesYuan: string }[];
}

/** The risk classes A–D with their labels, as ref.codes holds them for mart.entity_risk.risk_label. */
const RISK_CLASSES = 'credit_rating.risk_class';
/** Where a final class came from (our score, the published rating, both, no data), as ref.codes labels it. */
const CLASS_SOURCES = 'entity_risk.class_source';

export interface SummaryOptions {
  /** How many counties to list (default 5). */
  counties?: number;
  /** Counties with fewer entities are not ranked: a mean over two entities says little (default 10). */
  minEntities?: number;
}

export async function riskSummary(wh: Warehouse, opts: SummaryOptions = {}): Promise<RiskSummary> {
  const head = await wh.row('select max(as_of)::varchar as as_of, count(*) as n from mart.entity_risk', {
    as_of: col.nullable(col.date()),
    n: col.int(),
  });
  const byClass = await wh.rows('select risk_class, count(*) as n from mart.entity_risk group by risk_class', {
    risk_class: col.text(),
    n: col.int(),
  });
  const counts = new Map(byClass.map((r) => [r.risk_class, r.n]));
  // a warehouse built before class_source existed has no such column: every class was computed then
  const hasSource = await wh.scalarNumber(
    "select count(*) from information_schema.columns where table_schema = 'mart' and table_name = 'entity_risk' and column_name = 'class_source'",
  );
  const bySource = hasSource
    ? await wh.rows('select class_source, count(*) as n from mart.entity_risk group by class_source', { class_source: col.text(), n: col.int() })
    : [{ class_source: 'computed', n: head?.n ?? 0 }];
  const sourceCounts = new Map(bySource.map((r) => [r.class_source, r.n]));
  const byRule = await wh.rows(
    `select rule_code, count(*) as n, count(*) filter (where severity = 'high') as high,
            count(*) filter (where severity = 'medium') as medium, count(*) filter (where severity = 'low') as low
     from mart.risk_alerts group by rule_code`,
    { rule_code: col.text(), n: col.int(), high: col.int(), medium: col.int(), low: col.int() },
  );
  const rules = new Map(byRule.map((r) => [r.rule_code, r]));
  const counties = await wh.rows(
    `select r.region_code, r.region_name, p.region_name as city, r.entities, r.mean_score, r.class_d, r.alerts
     from mart.region_risk as r left join mart.region_risk as p on p.region_code = r.parent_code
     where r.level = 'county' and r.entities >= ?
     order by r.mean_score desc, r.alerts desc, r.region_code
     limit ?`,
    [opts.minEntities ?? 10, opts.counties ?? 5],
    {
      region_code: col.text(),
      region_name: col.text(),
      city: col.nullable(col.text()),
      entities: col.int(),
      mean_score: col.num(),
      class_d: col.int(),
      alerts: col.int(),
    },
  );
  // a warehouse built before core.unmatched_listings existed has no such table: nothing to count
  const hasUnmatched = await wh.scalarNumber(
    "select count(*) from information_schema.tables where table_schema = 'core' and table_name = 'unmatched_listings'",
  );
  const unmatched = hasUnmatched
    ? await wh.rows('select reason, count(*) as n from core.unmatched_listings group by reason order by reason', { reason: col.text(), n: col.int() })
    : [];
  const hasUncoded = await wh.scalarNumber(
    "select count(*) from information_schema.tables where table_schema = 'core' and table_name = 'uncoded_subjects'",
  );
  const registrationOnly = hasUncoded ? await wh.scalarNumber("select count(*) from mart.entity_risk where id_kind = 'reg_no'") : 0;
  const uncoded = hasUncoded
    ? await wh.rows(
        `select reason, count(*) as records, count(distinct coalesce(subject_name, record_id)) as subjects, coalesce(sum(fine_yuan), 0)::decimal(38, 2)::varchar as fines
         from core.uncoded_subjects group by reason order by reason`,
        { reason: col.text(), records: col.int(), subjects: col.int(), fines: col.text() },
      )
    : [];
  return {
    asOf: head?.as_of ?? null,
    entities: head?.n ?? 0,
    classes: codes(RISK_CLASSES).map((c) => ({ riskClass: c.code, label: c.label, entities: counts.get(c.code) ?? 0 })),
    classSources: codes(CLASS_SOURCES).map((c) => ({ classSource: c.code, label: c.label, entities: sourceCounts.get(c.code) ?? 0 })),
    // every documented rule, also those that fired nowhere, so a silent rule is visible as 0
    alerts: ALERT_RULES.map((rule) => {
      const r = rules.get(rule.code);
      return { ruleCode: rule.code, title: rule.title, alerts: r?.n ?? 0, high: r?.high ?? 0, medium: r?.medium ?? 0, low: r?.low ?? 0 };
    }),
    counties: counties.map((c) => ({
      regionCode: c.region_code,
      name: c.region_name,
      city: c.city,
      entities: c.entities,
      meanScore: c.mean_score,
      classD: c.class_d,
      alerts: c.alerts,
    })),
    unmatchedListings: unmatched.map((u) => ({ reason: u.reason, listings: u.n })),
    registrationOnly,
    uncoded: uncoded.map((u) => ({ reason: u.reason, records: u.records, subjects: u.subjects, finesYuan: u.fines })),
  };
}

/** Open the warehouse just to read the summary. */
export async function readRiskSummary(db: string, opts: SummaryOptions = {}): Promise<RiskSummary> {
  return withWarehouse(db, (wh) => riskSummary(wh, opts));
}

export function formatRiskSummary(s: RiskSummary): string {
  const unmatchedTotal = s.unmatchedListings.reduce((n, u) => n + u.listings, 0);
  const share = (n: number) => `${s.entities ? ((100 * n) / s.entities).toFixed(1) : '0.0'}%`;
  return [
    `风险概况 as of ${s.asOf ?? '—'}: ${s.entities} entities`,
    '',
    table(
      ['class', '', 'entities', 'share'],
      s.classes.map((c) => [c.riskClass, c.label, c.entities, share(c.entities)]),
    ),
    '',
    'final class from (classes.combine):',
    table(
      ['class source', '', 'entities', 'share'],
      s.classSources.map((c) => [c.classSource, c.label, c.entities, share(c.entities)]),
    ),
    '',
    table(
      ['rule', '', 'alerts', 'high', 'medium', 'low'],
      s.alerts.map((a) => [a.ruleCode, a.title, a.alerts, a.high, a.medium, a.low]),
    ),
    '',
    'riskiest counties (mean score):',
    table(
      ['county', '', 'mean score', 'class D', 'alerts', 'entities'],
      s.counties.map((c) => [c.regionCode, `${c.city ?? ''}${c.name}`, Number(c.meanScore.toFixed(1)), c.classD, c.alerts, c.entities]),
    ),
    '',
    `失信被执行人 listings of companies matching no entity (core.unmatched_listings): ${unmatchedTotal}`,
    ...(s.unmatchedListings.length
      ? [
          table(
            ['reason', 'listings'],
            s.unmatchedListings.map((u) => [u.reason, u.listings]),
          ),
        ]
      : []),
    '',
    `个体工商户 without a credit code, scored by their 注册号 (mart.entity_risk id_kind reg_no): ${s.registrationOnly}`,
    `licences and penalties of subjects that are no entity, not scored (core.uncoded_subjects): ${s.uncoded.reduce((n, u) => n + u.records, 0)}`,
    ...(s.uncoded.length
      ? [
          table(
            ['reason', 'records', 'subjects', 'fines (yuan)'],
            s.uncoded.map((u) => [u.reason, u.records, u.subjects, u.finesYuan]),
          ),
        ]
      : []),
  ].join('\n');
}
