// The risk method's worked examples: small situations, each one entity, with the factors and alerts the marts
// must give as of METHOD_AS_OF under the default risk config. method-cases.test.ts loads them into a warehouse
// and checks every number; docs.ts prints them in sql/README-models.md under the rule they illustrate. Dates are
// chosen on the boundaries: the examples are the boundary rules, tested.
import type { FeedName } from '../../schemas/feeds/index.ts';

export const METHOD_AS_OF = '2024-12-31';

export interface CaseRecord {
  feed: FeedName;
  /** The record's canonical fields; the test fills in the rest (names, numbers, authorities). */
  values: Record<string, string | number | string[] | null>;
  /** meta.batches.known_on of the file it came in (default 2024-11-30). */
  knownOn?: string;
}

export interface MethodCase {
  id: string;
  /** The factor or alert rule it illustrates (docs list it there). */
  rule: string;
  /** The entity_id its records name when that is not the case's own credit code (a 个体工商户's 注册号). */
  entityId?: string;
  story: string;
  records: CaseRecord[];
  /** mart.risk_factors of the entity (factor → points; none = absent) and the rules mart.risk_alerts fires for it. */
  factors: Record<string, number>;
  alerts: string[];
  why: string;
}

const ins = (on: string, results: string[]): CaseRecord => ({ feed: 'inspection', values: { inspected_on: on, results } });
const lic = (v: CaseRecord['values'], knownOn?: string): CaseRecord => ({ feed: 'license', values: v, ...(knownOn ? { knownOn } : {}) });
const pen = (v: CaseRecord['values']): CaseRecord => ({ feed: 'penalty', values: v });
const FOOD = '食品经营许可证';

export const METHOD_CASES: readonly MethodCase[] = [
  {
    id: 'lookback-day-1094',
    rule: 'inspection_problems',
    story: 'one inspection on 2022-01-02 (1,094 days before as_of) with result B',
    records: [ins('2022-01-02', ['B'])],
    factors: { inspection_problems: 60, unresolved_rectification: 150, recency_decay: -52 },
    alerts: ['inspection-no-follow-up'],
    why: 'age 1,094 < 1,095: in the window. B = 60 raw; decayed 60 × 0.5^(1094/365) = 7.514256 → round 8; recency_decay 8 − 60 = −52. It is the latest visit, found a problem without E, and 1,094 > 30 days have passed: open problem (150) and no-follow-up alert.',
  },
  {
    id: 'lookback-day-1095',
    rule: 'inspection_problems',
    story: 'one inspection on 2022-01-01 (1,095 days before as_of) with result B',
    records: [ins('2022-01-01', ['B'])],
    factors: {},
    alerts: [],
    why: 'age 1,095 is outside the window (age < lookback_days): no points, no open problem, no alert.',
  },
  {
    id: 'follow-up-day-30',
    rule: 'inspection-no-follow-up',
    story: 'one inspection on 2024-12-01 (30 days before as_of) with result B',
    records: [ins('2024-12-01', ['B'])],
    factors: { inspection_problems: 60, unresolved_rectification: 150, recency_decay: -3 },
    alerts: [],
    why: 'the problem is open (150) but 30 days is not more than follow_up_days: no alert yet. Decay 60 × 0.5^(30/365) = 56.677288 → 57; 57 − 60 = −3.',
  },
  {
    id: 'follow-up-day-31',
    rule: 'inspection-no-follow-up',
    story: 'one inspection on 2024-11-30 (31 days before as_of) with result B',
    records: [ins('2024-11-30', ['B'])],
    factors: { inspection_problems: 60, unresolved_rectification: 150, recency_decay: -3 },
    alerts: ['inspection-no-follow-up'],
    why: '31 > 30 days: overdue, the alert fires. Decay 60 × 0.5^(31/365) = 56.569758 → 57; −3.',
  },
  {
    id: 'same-day-visits',
    rule: 'unresolved_rectification',
    story: 'two inspections on 2024-06-01: one with result B, one with result 1 (未发现问题)',
    records: [ins('2024-06-01', ['B']), ins('2024-06-01', ['1'])],
    factors: { inspection_problems: 60, unresolved_rectification: 150, recency_decay: -20 },
    alerts: ['inspection-no-follow-up'],
    why: 'a visit the same day does not clear the problem (only a later day does). Decay 60 × 0.5^(213/365) = 40.038859 → 40; −20.',
  },
  {
    id: 'cleared-by-later-visit',
    rule: 'unresolved_rectification',
    story: 'an inspection on 2024-03-01 with result B, and one on 2024-05-01 with result 1',
    records: [ins('2024-03-01', ['B']), ins('2024-05-01', ['1'])],
    factors: { inspection_problems: 60, recency_decay: -26 },
    alerts: [],
    why: 'the later visit clears the open problem; the finding still scores: 60 × 0.5^(305/365) = 33.620614 → 34; −26.',
  },
  {
    id: 'corrected-on-the-spot',
    rule: 'unresolved_rectification',
    story: 'one inspection on 2024-06-01 with results B and E (发现问题经责令已改正)',
    records: [ins('2024-06-01', ['B', 'E'])],
    factors: { inspection_problems: 60, recency_decay: -20 },
    alerts: [],
    why: 'E records the problem corrected on the spot: no open problem, no follow-up alert; the finding scores 60, decayed to 40.',
  },
  {
    id: 'worst-code-cap-and-rounding',
    rule: 'recency_decay',
    story: 'inspections on 2024-01-10 (results C and B), 2024-04-10 (8) and 2024-07-10 (3)',
    records: [ins('2024-01-10', ['C', 'B']), ins('2024-04-10', ['8']), ins('2024-07-10', ['3'])],
    factors: { inspection_problems: 400, unresolved_rectification: 150, recency_decay: -147 },
    alerts: ['inspection-no-follow-up'],
    why: 'each visit scores its worst code: 150 (C), 150 (8), 120 (3) = 420, capped at 400. Decayed, each rounded to 6 decimals: 76.292864 + 90.684954 + 86.233604 = 253.211422 (under the cap of 400) → round 253; recency_decay 253 − 400 = −147.',
  },
  {
    id: 'licence-on-listing-day',
    rule: 'debtor-granted-license',
    story: 'a 严重违法失信 listing from 2024-03-01 (not removed) and a licence decided 2024-03-01',
    records: [
      { feed: 'serious_violation', values: { listed_on: '2024-03-01' } },
      lic({ certificate_name: FOOD, decided_on: '2024-03-01', valid_to: '2029-02-28' }),
    ],
    factors: { serious_violation: 800, license_problems: 200 },
    alerts: ['debtor-granted-license', 'class-d-not-inspected'],
    why: 'a listing is in force from its listing day: the licence was granted while listed (200). 800 + 200 = 1000, class D, never inspected: class-d alert too.',
  },
  {
    id: 'licence-on-removal-day',
    rule: 'debtor-granted-license',
    story: 'a 失信被执行人 listing published 2023-01-01, removed 2024-03-01, and a licence decided 2024-03-01',
    records: [
      { feed: 'dishonest_debtor', values: { published_on: '2023-01-01', removed_on: '2024-03-01' } },
      lic({ certificate_name: FOOD, decided_on: '2024-03-01', valid_to: '2029-02-28' }),
    ],
    factors: {},
    alerts: [],
    why: 'a listing is not in force on its removal day: the licence was not granted while listed, and the listing is no longer in force on as_of.',
  },
  {
    id: 'operating-after-expiry',
    rule: 'expired-license-operating',
    story: 'a licence valid 2019-01-01 to 2023-12-31, and an inspection on 2024-05-01 that found the business operating (result 1)',
    records: [lic({ certificate_name: FOOD, decided_on: '2019-01-01', valid_to: '2023-12-31' }), ins('2024-05-01', ['1'])],
    factors: { license_problems: 250 },
    alerts: ['expired-license-operating'],
    why: 'inspected_on 2024-05-01 > ended_after 2023-12-31, the business was operating and no other 食品经营许可证 covered that day: 250.',
  },
  {
    id: 'renewal-covers-the-visit',
    rule: 'expired-license-operating',
    story: 'as above, plus a renewed 食品经营许可证 valid 2023-12-20 to 2028-12-19',
    records: [
      lic({ certificate_name: FOOD, decided_on: '2019-01-01', valid_to: '2023-12-31' }),
      lic({ certificate_name: FOOD, decided_on: '2023-12-20', valid_to: '2028-12-19' }),
      ins('2024-05-01', ['1']),
    ],
    factors: {},
    alerts: [],
    why: 'the renewal (same 许可证书名称, valid_from ≤ 2024-05-01 ≤ its end) authorised the business that day: not operating after the end.',
  },
  {
    id: 'status-dated-before-visit',
    rule: 'expired-license-operating',
    story: 'a licence valid to 2027-12-31 with status 4 (注销) dated 2024-03-01 (status_on), and an inspection on 2024-05-01 (result 1)',
    records: [
      lic({ certificate_name: FOOD, decided_on: '2022-01-10', valid_to: '2027-12-31', status: '4', status_on: '2024-03-01' }),
      ins('2024-05-01', ['1']),
    ],
    factors: { license_problems: 250 },
    alerts: ['expired-license-operating'],
    why: 'ended_after = least(2027-12-31, 2024-03-01) = 2024-03-01 < 2024-05-01: operating after the end (250). 注销 is not 撤销/吊销: no revoked points.',
  },
  {
    id: 'status-dated-after-visit',
    rule: 'expired-license-operating',
    story: 'as above but the 注销 took effect on 2024-08-01',
    records: [
      lic({ certificate_name: FOOD, decided_on: '2022-01-10', valid_to: '2027-12-31', status: '4', status_on: '2024-08-01' }),
      ins('2024-05-01', ['1']),
    ],
    factors: {},
    alerts: [],
    why: 'the visit (2024-05-01) was before the licence ended (2024-08-01): nothing.',
  },
  {
    id: 'status-without-date',
    rule: 'license_problems',
    story:
      'a licence with status 5 (吊销) and no status_on, first reported in a file known on 2024-11-30, and an inspection on 2024-05-01 (result 1)',
    records: [lic({ certificate_name: FOOD, decided_on: '2022-01-10', valid_to: '2027-12-31', status: '5' }, '2024-11-30'), ins('2024-05-01', ['1'])],
    factors: { license_problems: 150 },
    alerts: [],
    why: 'without a status date the revocation counts from the first file that reported it (2024-11-30): the visit was before that, so no operating-after-end; the licence is revoked on as_of: 150.',
  },
  {
    id: 'status-after-as-of',
    rule: 'license_problems',
    story: 'a licence with status 5 (吊销) dated 2025-02-01',
    records: [lic({ certificate_name: FOOD, decided_on: '2022-01-10', valid_to: '2027-12-31', status: '5', status_on: '2025-02-01' })],
    factors: {},
    alerts: [],
    why: 'the revocation takes effect after as_of: as of 2024-12-31 the licence is still 有效 (and in force).',
  },
  {
    id: 'publicity-last-day',
    rule: 'penalties',
    story: 'a penalty decided 2024-06-30 with a fine of 60,000 yuan, 公示截止期 2024-12-31',
    records: [pen({ decided_on: '2024-06-30', fine_yuan: 60000, publish_until: '2024-12-31' })],
    factors: { penalties: 160, recency_decay: -47 },
    alerts: [],
    why: 'on publish_until itself it still counts: 80 + 80 (≥5万 tier) = 160; decayed 160 × 0.5^(184/365) = 112.815267 → 113; −47.',
  },
  {
    id: 'publicity-over',
    rule: 'penalties',
    story: 'the same penalty with 公示截止期 2024-12-30',
    records: [pen({ decided_on: '2024-06-30', fine_yuan: 60000, publish_until: '2024-12-30' })],
    factors: {},
    alerts: [],
    why: 'publish_until < as_of: 信用修复, no points and no alert.',
  },
  {
    id: 'revoked-on-review',
    rule: 'large-fine',
    story: 'a penalty decided 2024-06-30 with a fine of 300,000 yuan, 当前状态 2 (撤销) dated 2024-09-01',
    records: [pen({ decided_on: '2024-06-30', fine_yuan: 300000, status: '2', status_on: '2024-09-01' })],
    factors: {},
    alerts: [],
    why: 'revoked on review before as_of: not in effect, neither scored nor a large-fine alert.',
  },
  {
    id: 'repeat-365-days',
    rule: 'repeated-penalties',
    story: 'two warnings (no fine) decided 2023-06-01 and 2024-05-31, 365 days apart',
    records: [pen({ decided_on: '2023-06-01', penalty_types: ['警告'] }), pen({ decided_on: '2024-05-31', penalty_types: ['警告'] })],
    factors: { penalties: 160, recency_decay: -80 },
    alerts: ['repeated-penalties'],
    why: '365 ≤ repeat_penalty_days: repeated. 80 + 80 = 160; decayed 26.641931 + 53.283861 = 79.925792 → 80; −80.',
  },
  {
    id: 'repeat-366-days',
    rule: 'repeated-penalties',
    story: 'two warnings decided 2023-06-01 and 2024-06-01, 366 days apart',
    records: [pen({ decided_on: '2023-06-01', penalty_types: ['警告'] }), pen({ decided_on: '2024-06-01', penalty_types: ['警告'] })],
    factors: { penalties: 160, recency_decay: -80 },
    alerts: [],
    why: '366 > 365: not repeated. Decayed 26.641931 + 53.385145 = 80.027076 → 80; −80.',
  },
  {
    id: 'fine-at-threshold',
    rule: 'large-fine',
    story: 'a penalty decided 2024-10-01 with a fine of exactly 200,000 yuan',
    records: [pen({ decided_on: '2024-10-01', fine_yuan: 200000 })],
    factors: { penalties: 280, recency_decay: -44 },
    alerts: ['large-fine'],
    why: 'at the threshold counts (≥): alert. 80 + 200 (≥20万 tier) = 280; 280 × 0.5^(91/365) = 235.562805 → 236; −44.',
  },
  {
    id: 'abnormal-cap',
    rule: 'abnormal_operation',
    story: '经营异常 listings for reason 4 (2024-02-01) and reason 3 (2024-03-01), not removed',
    records: [
      { feed: 'abnormal_operation', values: { reason: '4', listed_on: '2024-02-01' } },
      { feed: 'abnormal_operation', values: { reason: '3', listed_on: '2024-03-01' } },
    ],
    factors: { abnormal_operation: 400 },
    alerts: [],
    why: '300 + 250 = 550, capped at abnormal_cap 400. No valid licence: no unreachable alert.',
  },
  {
    id: 'debt-paid',
    rule: 'dishonest_debtor',
    story: 'a 失信被执行人 listing published 2024-01-01 whose 履行情况 is 全部已履行',
    records: [{ feed: 'dishonest_debtor', values: { published_on: '2024-01-01', performance: '全部已履行' } }],
    factors: {},
    alerts: [],
    why: 'a paid debt is not in force, whatever removed_on says.',
  },
  {
    id: 'shop-by-registration-number',
    rule: 'penalties',
    entityId: '130123600012345',
    story: 'a 个体工商户 without a credit code, 注册号 130123600012345, fined 20,000 yuan on 2024-10-01',
    records: [pen({ uscc: null, subject_kind: '个体工商户', reg_no: '130123600012345', decided_on: '2024-10-01', fine_yuan: 20000 })],
    factors: { penalties: 120, recency_decay: -19 },
    alerts: [],
    why: 'scored on its 注册号 (entity_id 130123600012345, id_kind reg_no): 80 + 40 (≥1万 tier) = 120; 120 × 0.5^(91/365) = 100.955488 → 101; −19.',
  },
  {
    id: 'natural-person',
    rule: 'penalties',
    entityId: '',
    story: 'a natural person (自然人) fined 5,000 yuan on 2024-10-01',
    records: [
      pen({
        uscc: null,
        subject_kind: '自然人',
        person_id_type: '身份证',
        person_id_no: '130123199001011234',
        decided_on: '2024-10-01',
        fine_yuan: 5000,
      }),
    ],
    factors: {},
    alerts: [],
    why: 'a person is no entity: nothing scores; the decision is listed in core.uncoded_subjects (reason natural-person) and counted in the run summary.',
  },
  {
    id: 'debtor-in-force',
    rule: 'dishonest_debtor',
    story: 'a 失信被执行人 listing published 2024-01-01, 全部未履行, not removed',
    records: [{ feed: 'dishonest_debtor', values: { published_on: '2024-01-01', performance: '全部未履行' } }],
    factors: { dishonest_debtor: 550 },
    alerts: [],
    why: '550 once (class C by the default cut-offs).',
  },
];
