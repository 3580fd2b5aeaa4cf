// What the risk marts compute, described for people: the score's factors and the alert rules, with the
// parameters each reads. The SQL (sql/marts/risk_factor_items.sql, risk_factors.sql, risk_alert_evidence.sql and
// risk_alerts.sql) is the definition; this catalogue documents it (README-models.md, the demo summary), and a test keeps both in step.

export interface FactorDoc {
  factor: string;
  title: string;
  points: string;
  evidence: string;
  /** Loses weight with age (recency decay). */
  decays: boolean;
}

export const RISK_FACTORS: readonly FactorDoc[] = [
  {
    factor: 'inspection_problems',
    title: '检查发现问题',
    decays: true,
    points:
      'per problem inspection in the lookback window: the points of its worst 检查结果 code (weights.inspection_result, e.g. C 弄虚作假 150, B 未按规定公示 60); capped at weights.inspection_cap',
    evidence: 'the inspections (ins-)',
  },
  {
    factor: 'unresolved_rectification',
    title: '问题未整改',
    decays: false,
    points: 'weights.unresolved_rectification once, when the latest inspection found a problem no later inspection cleared',
    evidence: 'that inspection (ins-)',
  },
  {
    factor: 'penalties',
    title: '行政处罚',
    decays: true,
    points:
      'per penalty in the lookback window still under publicity (信用修复: a penalty whose 公示截止期 publish_until is before as_of scores nothing; on publish_until itself it still counts; no publish_until = open-ended): weights.penalty_base + the fine tier reached (weights.fine_tiers: ≥1万 40, ≥5万 80, ≥20万 200) + weights.severe_penalty if it suspends/revokes a licence, stops business or detains; capped at weights.penalty_cap',
    evidence: 'the penalty decisions (pen-)',
  },
  {
    factor: 'dishonest_debtor',
    title: '失信被执行人',
    decays: false,
    points:
      'weights.dishonest_debtor once while a listing is in force on as_of; a listing whose 被执行人的履行情况 (performance) is 全部已履行 is not in force, whatever its removal date',
    evidence: 'the listings (dd-)',
  },
  {
    factor: 'serious_violation',
    title: '严重违法失信名单',
    decays: false,
    points: 'weights.serious_violation once while a listing is in force (800 by default: class D on its own, as Hebei allows)',
    evidence: 'the listings (sv-)',
  },
  {
    factor: 'abnormal_operation',
    title: '经营异常名录',
    decays: false,
    points: 'per listing in force: weights.abnormal_reason by 列入原因 (4 查无下落 300, 3 公示信息虚假 250, 1/2 120); capped at weights.abnormal_cap',
    evidence: 'the listings (ab-)',
  },
  {
    factor: 'license_problems',
    title: '许可问题',
    decays: false,
    points:
      'per licence: found operating after it ended (weights.license_operating_after_end), revoked 撤销/吊销 (weights.license_revoked), granted while a 失信/严重违法 listing was in force (weights.license_granted_while_listed; a 失信 listing with performance 全部已履行 never counts); capped at weights.license_cap',
    evidence: 'the licence (lic-) and the inspections or listings that make it a problem',
  },
  {
    factor: 'recency_decay',
    title: '时间衰减',
    decays: false,
    points:
      'negative: each inspection or penalty counts raw × 0.5^(age in days / windows.half_life_days); this factor is round(Σ decayed, capped) − Σ raw, capped',
    evidence: 'the aged inspections and penalties',
  },
];

export interface RuleDoc {
  code: string;
  title: string;
  severity: string;
  condition: string;
  example: string;
}

export const ALERT_RULES: readonly RuleDoc[] = [
  {
    code: 'expired-license-operating',
    title: '许可失效仍在经营',
    severity: 'high',
    condition:
      'a licence expired (有效期至) or has status 无效/撤销/注销/吊销, and a later inspection (in the lookback window) found the business operating (no 检查结果 of codes.not_operating_results)',
    example: '食品经营许可证JY21301230012348已注销，但2023-11-09检查发现其仍在经营',
  },
  {
    code: 'debtor-granted-license',
    title: '失信主体获得许可（联合惩戒）',
    severity: 'high',
    condition:
      'a licence decided after a 失信被执行人 or 严重违法失信 listing and before its removal; a 失信 listing whose performance (被执行人的履行情况) is 全部已履行 does not count',
    example: '2023-08-17被列入严重违法失信名单后，仍于2024-11-04获得食品经营许可证JY11305030012426（违反联合惩戒）',
  },
  {
    code: 'inspection-no-follow-up',
    title: '发现问题未复查',
    severity: 'medium',
    condition:
      'an inspection found a problem (codes.problem_results), no later inspection of the entity exists, and windows.follow_up_days have passed',
    example: '2024-07-07检查发现问题（检查结果6），超过30天未复查',
  },
  {
    code: 'repeated-penalties',
    title: '12个月内重复处罚',
    severity: 'medium',
    condition: 'two penalty decisions (in the lookback window) at most windows.repeat_penalty_days apart',
    example: '2024-04-09至2024-06-26间2次受到行政处罚，前后两次相隔不超过365天',
  },
  {
    code: 'large-fine',
    title: '大额罚款',
    severity: 'high',
    condition: 'a fine at or above thresholds.large_fine_yuan (20万元) in the lookback window',
    example: '2024-07-17被保定市生态环境局处以罚款350000元（不低于200000元）',
  },
  {
    code: 'unreachable-with-license',
    title: '住所无法联系但持有效许可',
    severity: 'medium',
    condition:
      'the latest inspection has 检查结果 6 or a 经营异常 listing for reason 4 (查无下落) is in force, while the entity holds licences valid on as_of',
    example: '2024-07-07检查发现通过登记的住所无法联系，但仍持有1张有效许可证',
  },
  {
    code: 'class-d-not-inspected',
    title: 'D类主体超期未检查',
    severity: 'high',
    condition:
      'the final class (mart.entity_risk.risk_class, see "Risk class": the rating in force, our score, or both) is D, and no inspection in windows.not_inspected_days; evidence = the rating\'s event id when it makes the class D + the factor evidence when the computed class is D',
    example: '信用风险分类为D类（市场监管部门分类2024-11-30评定为D类，本仓评分0为A类），最近一次检查为2022-07-02，已超过365天未检查',
  },
  {
    code: 'license-level-conflict',
    title: '许可信息层级报送不一致',
    severity: 'low',
    condition: 'two levels report the same licence (licence number + issuer) with different values (core.conflicts)',
    example: '许可证JY11301020012285的有效期至在市、县级报送中不一致，请核对',
  },
];

/**
 * How mart.entity_risk gets its final class from our score and the published 企业信用风险分类 (issue 9.6), as
 * Markdown lines for README-models.md ("Risk class"). sql/marts/entity_risk.sql is the definition,
 * testkit/recompute.ts recomputeClasses an independent implementation of this text, and
 * pipelines/transform/official-class.test.ts the worked example.
 */
export const CLASS_RULE: readonly string[] = [
  '`mart.entity_risk` gives every entity in `core.entities` these classes as of `as_of` (letters A < B < C < D, D the worst):',
  '',
  '1. **score** = Σ factor points (above), clamped to 0–1000; 0 when the entity has no row in `mart.risk_factors`.',
  "2. **Rating in force** (`reported_class`, `reported_on`, `reported_event_id`): among the entity's `core.credit_events` rows with `event_type = 'credit_rating'` (one per entity and date), a rating dated R is in force on day d when R ≤ d < R + N calendar months, N = `classes.rating_validity_months` (default 12). R + N months is DuckDB `R + to_months(N)`: same day of the month, clamped to the last day of a shorter month (2024-01-31 + 1 month = 2024-02-29, + 12 months = 2025-01-31). The rating used is the latest-dated one in force on as_of; none in force → all three NULL (an older, expired rating is not shown).",
  '3. **No data**: the entity has no row in `mart.risk_factors`, no rating in force on as_of, and no `core.inspections` row with as_of − `windows.lookback_days` < inspected_on ≤ as_of. A clean inspection in the window is evidence (class A as before); an older inspection, a licence or an expired rating is not.',
  "4. **computed_class**: for a no-data entity `classes.no_data_class` (default B, 一般: SAMR guidance puts new and unknown entities there); otherwise the score's class: A when score ≤ `cutoffs.a_max`, B when ≤ `cutoffs.b_max`, C when ≤ `cutoffs.c_max`, else D.",
  '5. **risk_class** (the final class; `mart.inspection_plan`, `mart.region_risk`, `class-d-not-inspected` and the summary use it), by `classes.combine`: no-data entity → `no_data_class` whatever combine says; no rating in force → computed_class; `worse` (default) → the later letter of computed_class and reported_class; `computed` → computed_class (the rating is shown, not used); `official` → reported_class.',
  "6. **class_source** (code set `entity_risk.class_source`), checked in this order: `no-data` (无信用记录) when no_data_class was applied; `computed` (本仓评分) when no rating is in force or combine = computed; `both` (评分与分类一致) when reported_class = computed_class; `official` (市场监管部门分类) when combine = official, or (worse) reported_class is the worse; else `computed` (the score's class is the worse).",
  '7. **risk_label**: the label of risk_class in code set `credit_rating.risk_class` (A 信用风险低, B 信用风险一般, C 信用风险较高, D 信用风险高); for class_source `no-data` the label followed by `（无信用记录）`, e.g. 信用风险一般（无信用记录）.',
  '',
  'Worked example (pipelines/transform/official-class.test.ts): an entity with no factor rows and no inspection whose only rating is D dated 2024-01-31, with `rating_validity_months` = 1. As of 2024-02-28 the rating is in force: score 0, computed_class A, reported_class D, risk_class D (worse of A and D), class_source official, risk_label 信用风险高, and it is drawn (`sampling.ratios.D` = 1). As of 2024-02-29 (= 2024-01-31 + 1 month) it is not: nothing is known, so computed_class = risk_class = B, class_source no-data, risk_label 信用风险一般（无信用记录）; with `no_data_class` D it would be D, 信用风险高（无信用记录）. With combine `computed` on 2024-02-28 it is A (本仓评分), with `official` D. With the default 12 months the same rating is in force through 2025-01-30 and not on 2025-01-31.',
];
