// The short risk summary that ends `npm run demo` (and `jianguan run` on a terminal): entities per class, alerts
// per rule, the riskiest counties. Data first (for --json), then a plain-text rendering.
// The aligned-table helper of the CLI's other summaries (CJK-width aware), so the demo output matches them.
import { table } from '../../lib/format.ts';
import { type Warehouse, withWarehouse } from '../../warehouse/db.ts';
import { codes } from './codes.ts';
import { ALERT_RULES } from './rules.ts';

export interface RiskSummary {
  asOf: string | null;
  entities: number;
  classes: { riskClass: string; label: string; entities: number }[];
  alerts: { ruleCode: string; title: string; alerts: number; high: number; medium: number; low: number }[];
  counties: { regionCode: string; name: string; city: string | null; entities: number; meanScore: number; classD: number; alerts: number }[];
}

/** The risk classes A–D with their labels, as ref.codes holds them for mart.entity_risk.risk_label. */
const RISK_CLASSES = 'credit_rating.risk_class';

export interface SummaryOptions {
  /** How many counties to list (default 5). */
  counties?: number;
  /** Counties with fewer entities are not ranked: a mean over two entities says little (default 10). */
  minEntities?: number;
}

export async function riskSummary(wh: Warehouse, opts: SummaryOptions = {}): Promise<RiskSummary> {
  const head = await wh.one('select max(as_of)::varchar as as_of, count(*) as n from mart.entity_risk');
  const byClass = await wh.all('select risk_class, count(*) as n from mart.entity_risk group by risk_class');
  const counts = new Map(byClass.map((r) => [String(r.risk_class), Number(r.n)]));
  const byRule = await wh.all(
    `select rule_code, count(*) as n, count(*) filter (where severity = 'high') as high,
            count(*) filter (where severity = 'medium') as medium, count(*) filter (where severity = 'low') as low
     from mart.risk_alerts group by rule_code`,
  );
  const rules = new Map(byRule.map((r) => [String(r.rule_code), r]));
  const counties = await wh.all(
    `select r.region_code, r.region_name, p.region_name as city, r.entities, r.mean_score, r.class_d, r.alerts
     from mart.region_risk as r left join mart.region_risk as p on p.region_code = r.parent_code
     where r.level = 'county' and r.entities >= ?
     order by r.mean_score desc, r.alerts desc, r.region_code
     limit ?`,
    [opts.minEntities ?? 10, opts.counties ?? 5],
  );
  return {
    asOf: head?.as_of ?? null,
    entities: Number(head?.n ?? 0),
    classes: codes(RISK_CLASSES).map((c) => ({ riskClass: c.code, label: c.label, entities: counts.get(c.code) ?? 0 })),
    // every documented rule, also those that fired nowhere, so a silent rule is visible as 0
    alerts: ALERT_RULES.map((rule) => {
      const r = rules.get(rule.code);
      return { ruleCode: rule.code, title: rule.title, alerts: Number(r?.n ?? 0), high: Number(r?.high ?? 0), medium: Number(r?.medium ?? 0), low: Number(r?.low ?? 0) };
    }),
    counties: counties.map((c) => ({
      regionCode: String(c.region_code),
      name: String(c.region_name),
      city: c.city === null ? null : String(c.city),
      entities: Number(c.entities),
      meanScore: Number(c.mean_score),
      classD: Number(c.class_d),
      alerts: Number(c.alerts),
    })),
  };
}

/** Open the warehouse just to read the summary. */
export async function readRiskSummary(db: string, opts: SummaryOptions = {}): Promise<RiskSummary> {
  return withWarehouse(db, (wh) => riskSummary(wh, opts));
}

export function formatRiskSummary(s: RiskSummary): string {
  const share = (n: number) => `${s.entities ? ((100 * n) / s.entities).toFixed(1) : '0.0'}%`;
  return [
    `风险概况 as of ${s.asOf ?? '—'}: ${s.entities} entities`,
    '',
    table(['class', '', 'entities', 'share'], s.classes.map((c) => [c.riskClass, c.label, c.entities, share(c.entities)])),
    '',
    table(['rule', '', 'alerts', 'high', 'medium', 'low'], s.alerts.map((a) => [a.ruleCode, a.title, a.alerts, a.high, a.medium, a.low])),
    '',
    'riskiest counties (mean score):',
    table(
      ['county', '', 'mean score', 'class D', 'alerts', 'entities'],
      s.counties.map((c) => [c.regionCode, `${c.city ?? ''}${c.name}`, Number(c.meanScore.toFixed(1)), c.classD, c.alerts, c.entities]),
    ),
  ].join('\n');
}
