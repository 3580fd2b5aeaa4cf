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
      'per inspection in the lookback window (see Windows) with at least one 检查结果 code in codes.problem_results: the points of its worst such code (weights.inspection_result; a code without a weight scores 0). Sum capped at weights.inspection_cap',
    evidence: 'the inspections (ins-)',
  },
  {
    factor: 'unresolved_rectification',
    title: '问题未整改',
    decays: false,
    points:
      'weights.unresolved_rectification once (not summed), when the entity has an open problem: an inspection on its latest inspection day (the greatest inspected_on ≤ as_of) that is in the lookback window, has a code in codes.problem_results and has no E (发现问题经责令已改正) among its results. An inspection on a later day clears it (whatever it found: if it found a problem, that one is the open one); another inspection on the same day does not',
    evidence: 'the open inspections (ins-)',
  },
  {
    factor: 'penalties',
    title: '行政处罚',
    decays: true,
    points:
      'per penalty decision in the lookback window and in effect on as_of (core.penalties.in_effect: not revoked on review — 当前状态 2 撤销 with revoked_since ≤ as_of — and publish_until, 公示截止期, NULL or ≥ as_of: on publish_until itself it still counts): weights.penalty_base + the points of the highest weights.fine_tiers tier whose min_yuan ≤ fine_yuan (none without a fine) + weights.severe_penalty if any 处罚类别 is in codes.severe_penalty_types. Sum capped at weights.penalty_cap',
    evidence: 'the penalty decisions (pen-)',
  },
  {
    factor: 'dishonest_debtor',
    title: '失信被执行人',
    decays: false,
    points:
      'weights.dishonest_debtor once when at least one listing is in force on as_of: listed_on (published_on, else filed_on) ≤ as_of < removed_on (or no removed_on), and performance (被执行人的履行情况) is not 全部已履行 (a paid debt is never in force)',
    evidence: 'the listings in force (dd-)',
  },
  {
    factor: 'serious_violation',
    title: '严重违法失信名单',
    decays: false,
    points:
      'weights.serious_violation once when at least one listing is in force on as_of (listed_on ≤ as_of < removed_on or no removed_on); 800 by default: class D on its own, as Hebei allows',
    evidence: 'the listings in force (sv-)',
  },
  {
    factor: 'abnormal_operation',
    title: '经营异常名录',
    decays: false,
    points:
      'per listing in force on as_of (listed_on ≤ as_of < removed_on or no removed_on): weights.abnormal_reason of its 列入原因 code (a code without a weight scores 0). Sum capped at weights.abnormal_cap',
    evidence: 'the listings in force (ab-)',
  },
  {
    factor: 'license_problems',
    title: '许可问题',
    decays: false,
    points:
      "per licence, each that applies: (1) operating after its end, weights.license_operating_after_end: an inspection in the lookback window with no code in codes.not_operating_results, dated after the licence ended (inspected_on > ended_after, core.licenses: the earlier of valid_to and, for a status in codes.ended_license_status in effect on as_of, status_since — the feed's status_on, else the known_on of the first file reporting that status), on a day no other licence of the entity with the same 许可证书名称 authorised (other.valid_from ≤ day ≤ other.ended_after, or open-ended); (2) revoked, weights.license_revoked: status in codes.revoked_license_status with status_since ≤ as_of; (3) granted while listed, weights.license_granted_while_listed: a 失信被执行人 or 严重违法失信 listing was in force on decided_on (listed_on ≤ decided_on < removed_on or no removed_on; a 全部已履行 listing never counts). Sum over all licences capped at weights.license_cap",
    evidence: 'the licence (lic-) and the inspections or listings that make it a problem',
  },
  {
    factor: 'recency_decay',
    title: '时间衰减',
    decays: false,
    points:
      "negative or zero, only for inspection_problems and penalties: each item counts raw × 0.5^(age / windows.half_life_days), age = as_of − event date in days, rounded to 6 decimals (DECIMAL(18,6)); per factor the decayed items are summed and capped at that factor's cap; the two capped sums are added and rounded to an integer (half away from zero); recency_decay = that integer − (inspection_problems + penalties). Absent when 0",
    evidence: 'the items with age > 0 (decay < 1)',
  },
];

/** How as_of, windows and boundaries apply everywhere (README-models.md, before the factors). */
export const METHOD_RULES: readonly string[] = [
  "Every rule below is evaluated **as of** the transform's `as_of` date (the `--as-of` flag; default today in China, UTC+8):",
  '',
  '- **Known by as_of.** A record counts only when its file was known (`meta.batches.known_on` ≤ as_of; `sources[].known_on`: the load day, or the date in the file name) and the record itself is dated on or before as_of (licence decided_on, inspection inspected_on, penalty decided_on, listing listed_on / published_on, rating rated_on). Core tables merge only such records, so the status, dates and names are the ones reported by then. A test checks that the transform as of D over everything equals the transform as of D over only what was known and dated by D.',
  '- **Entities.** Every factor and alert belongs to an `entity_id`: the 统一社会信用代码, or for a 个体工商户 without one its 工商注册号 (13 or 15 digits, as licences and penalties carry it; `core.entities.id_kind` `reg_no`). Inspections and lists name entities by credit code only. Natural persons and subjects with neither number are no entity: their licences and penalties score nothing and are listed in `core.uncoded_subjects` and counted in the run summary.',
  '- **Lookback window**: the `windows.lookback_days` days ending on as_of: as_of − lookback_days < date ≤ as_of, i.e. age in days 0 … lookback_days − 1 (default: day 1,094 is in, day 1,095 is out). It applies to inspection_problems, unresolved_rectification, penalties, operating after the end, and to the alerts built on them (inspection-no-follow-up, repeated-penalties, large-fine, expired-license-operating).',
  "- **In force** (listings): from listed_on inclusive to removed_on exclusive (removed on day d: not in force on d). A licence granted on a listing's first day was granted while listed; one granted on its removal day was not.",
  '- **Follow-up**: a problem is overdue when as_of − inspected_on > `windows.follow_up_days` (default: day 30 is not overdue, day 31 is).',
  '- **Repeated penalties**: two penalties in effect and in the window at most `windows.repeat_penalty_days` apart (365: yes; 366: no).',
  "- **Thresholds** are inclusive: a fine equal to `thresholds.large_fine_yuan` is large; a fine equal to a tier's min_yuan reaches that tier.",
  "- **Caps** apply to the sum of a factor's items (raw points); listing factors count once per entity.",
  '- **Score** = Σ factor points including recency_decay, clamped to 0–1000. A factor with no item has no row.',
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
      'the entity has at least one licence with a license_problems item of kind operating_after_end (see license_problems (1): an inspection in the lookback window found it operating after the licence ended, no renewal of the same 许可证书名称 covering that day); one alert per entity, evidence = those licences and inspections',
    example: '食品经营许可证JY21301230012348已注销，但2023-11-09检查发现其仍在经营',
  },
  {
    code: 'debtor-granted-license',
    title: '失信主体获得许可（联合惩戒）',
    severity: 'high',
    condition:
      'the entity has at least one licence with a license_problems item of kind granted_while_listed (see license_problems (3): decided on a day a 失信被执行人 or 严重违法失信 listing was in force, listed_on ≤ decided_on < removed_on; 全部已履行 never counts); the licence must be decided on or before as_of; no lookback window',
    example: '2023-08-17被列入严重违法失信名单后，仍于2024-11-04获得食品经营许可证JY11305030012426（违反联合惩戒）',
  },
  {
    code: 'inspection-no-follow-up',
    title: '发现问题未复查',
    severity: 'medium',
    condition:
      'the entity has an open problem (exactly the unresolved_rectification items: latest inspection day, in the lookback window, a problem code, no E) and as_of − inspected_on > windows.follow_up_days',
    example: '2024-07-07检查发现问题（检查结果6），超过30天未复查',
  },
  {
    code: 'repeated-penalties',
    title: '12个月内重复处罚',
    severity: 'medium',
    condition:
      'two penalty decisions of the entity, both in the lookback window and in effect (as the penalties factor reads them), decided at most windows.repeat_penalty_days days apart (the same day counts); evidence = every penalty in such a pair',
    example: '2024-04-09至2024-06-26间2次受到行政处罚，前后两次相隔不超过365天',
  },
  {
    code: 'large-fine',
    title: '大额罚款',
    severity: 'high',
    condition:
      'a penalty in the lookback window and in effect (as the penalties factor reads them) with fine_yuan ≥ thresholds.large_fine_yuan (20万元)',
    example: '2024-07-17被保定市生态环境局处以罚款350000元（不低于200000元）',
  },
  {
    code: 'unreachable-with-license',
    title: '住所无法联系但持有效许可',
    severity: 'medium',
    condition:
      "a signal — an inspection on the entity's latest inspection day (≤ as_of, any age) with 检查结果 6, or a 经营异常 listing for reason 4 (查无下落) in force on as_of — while the entity holds at least one licence in force on as_of (core.licenses.in_force: valid_from ≤ as_of ≤ valid_to or open-ended, and status 1 or an ended status not yet in effect)",
    example: '2024-07-07检查发现通过登记的住所无法联系，但仍持有1张有效许可证',
  },
  {
    code: 'class-d-not-inspected',
    title: 'D类主体超期未检查',
    severity: 'high',
    condition:
      'the final class (mart.entity_risk.risk_class, see "Risk class": the rating in force, our score, or both) is D, and no inspection with as_of − windows.not_inspected_days < inspected_on ≤ as_of; evidence = the rating\'s event id when it makes the class D + the factor evidence when the computed class is D',
    example: '信用风险分类为D类（市场监管部门分类2024-11-30评定为D类，本仓评分0为A类），最近一次检查为2022-07-02，已超过365天未检查',
  },
  {
    code: 'license-level-conflict',
    title: '许可信息层级报送不一致',
    severity: 'low',
    condition:
      'a licence of the entity (licence number + issuer) is reported by two or more levels with different values in a compared field (core.conflicts, versions known by as_of)',
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
