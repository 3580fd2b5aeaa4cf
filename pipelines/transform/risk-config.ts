// The risk model's knobs: factor weights, class cut-offs, windows, thresholds, code lists and the 双随机 sampling
// ratios. One zod schema with documented defaults; a JSON file may override any part. Hebei publishes neither its
// cut-offs nor its ratios (the national guidance leaves them to each province), so everything here is configuration, not code.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../../lib/errors.ts';

const points = z.number().int().min(0).max(1000);
const days = z.number().int().min(1).max(3650);
const ratio = z.number().min(0).max(1);

const CLASS_RATIOS = { A: 0.03, B: 0.05, C: 0.1, D: 1 };

export const riskConfigSchema = z
  .object({
    cutoffs: z
      .object({
        a_max: points.default(250).describe('Highest score still class A (信用风险低).'),
        b_max: points.default(500).describe('Highest score still class B (信用风险一般).'),
        c_max: points.default(750).describe('Highest score still class C (信用风险较高); above it is D (信用风险高).'),
      })
      .strict()
      .prefault({})
      .refine((c) => c.a_max < c.b_max && c.b_max < c.c_max, 'cut-offs must rise: a_max < b_max < c_max'),
    weights: z
      .object({
        inspection_result: z
          .record(z.string().min(1), points)
          .default({ A: 80, B: 60, C: 150, D: 100, G: 100, '3': 120, '4': 120, '5': 100, '6': 150, '8': 150 })
          .describe('Points of an inspection by its worst 检查结果 code (codes not listed score 0).'),
        inspection_cap: points.default(400).describe('Most points all inspection problems together can add.'),
        unresolved_rectification: points.default(150).describe('The latest inspection found a problem no later inspection cleared.'),
        penalty_base: points.default(80).describe('Points of each penalty decision.'),
        fine_tiers: z
          .array(z.object({ min_yuan: z.number().min(0), points }).strict())
          .default([
            { min_yuan: 10_000, points: 40 },
            { min_yuan: 50_000, points: 80 },
            { min_yuan: 200_000, points: 200 },
          ])
          .describe('Extra points by fine size: the highest tier whose min_yuan the fine reaches.'),
        severe_penalty: points.default(120).describe('Extra points when the penalty suspends/revokes a licence, stops business or detains.'),
        penalty_cap: points.default(500).describe('Most points all penalties together can add.'),
        dishonest_debtor: points.default(550).describe('A 失信被执行人 listing in force.'),
        serious_violation: points.default(800).describe('A 严重违法失信名单 listing in force (D on its own, as Hebei allows).'),
        abnormal_reason: z
          .record(z.string().min(1), points)
          .default({ '1': 120, '2': 120, '3': 250, '4': 300 })
          .describe('A 经营异常名录 listing in force, by 列入原因 code.'),
        abnormal_cap: points.default(400).describe('Most points all abnormal-operation listings together can add.'),
        license_operating_after_end: points.default(250).describe('Found operating after its licence expired, was revoked or cancelled.'),
        license_revoked: points.default(150).describe('A licence on file with status 撤销/吊销 (codes.revoked_license_status).'),
        license_granted_while_listed: points.default(200).describe('A licence granted while a 失信/严重违法 listing was in force.'),
        license_cap: points.default(400).describe('Most points all licence problems together can add.'),
      })
      .strict()
      .prefault({}),
    classes: z
      .object({
        rating_validity_months: z
          .number()
          .int()
          .min(1)
          .max(120)
          .default(12)
          .describe(
            'A published 企业信用风险分类 dated R is in force on day d when R ≤ d < R + this many calendar months (month ends clamp: 2024-01-31 + 1 month = 2024-02-29).',
          ),
        combine: z
          .enum(['worse', 'computed', 'official'])
          .default('worse')
          .describe(
            'Final class: worse = the worse of our computed class and the rating in force; computed = our class only (ratings shown, not used); official = the rating in force when there is one, else ours.',
          ),
        no_data_class: z
          .enum(['A', 'B', 'C', 'D'])
          .default('B')
          .describe(
            'Class of an entity the data says nothing about: no factor rows, no rating in force, no inspection in the lookback window (SAMR guidance: new and unknown entities are 一般).',
          ),
      })
      .strict()
      .prefault({}),
    windows: z
      .object({
        lookback_days: days.default(1095).describe('Inspections and penalties older than this are ignored.'),
        half_life_days: days.default(365).describe('Recency decay: an event loses half its points every half-life.'),
        follow_up_days: days.default(30).describe('A problem still open (no later inspection) this many days after it was found raises an alert.'),
        repeat_penalty_days: days.default(365).describe('Two penalties this close together are "repeated".'),
        not_inspected_days: days.default(365).describe('A class-D entity must be inspected within this many days.'),
      })
      .strict()
      .prefault({}),
    thresholds: z
      .object({
        large_fine_yuan: z.number().min(0).default(200_000).describe('A fine at or above this (yuan) raises an alert.'),
      })
      .strict()
      .prefault({}),
    codes: z
      .object({
        problem_results: z
          .array(z.string().min(1))
          .default(['A', 'B', 'C', 'D', 'G', '3', '4', '5', '6', '8'])
          .describe('检查结果 codes meaning a problem needs handling.'),
        not_operating_results: z
          .array(z.string().min(1))
          .default(['6', 'F', '7', '9', '10', '11', '12'])
          .describe('检查结果 codes meaning the business was not found operating.'),
        ended_license_status: z
          .array(z.string().min(1))
          .default(['2', '3', '4', '5'])
          .describe('Licence 当前状态 codes meaning it no longer authorises anything.'),
        revoked_license_status: z.array(z.string().min(1)).default(['3', '5']).describe('Licence 当前状态 codes meaning 撤销/吊销.'),
        severe_penalty_types: z
          .array(z.string().min(1))
          .default(['暂扣许可证件', '降低资质等级', '吊销许可证件', '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业', '行政拘留'])
          .describe('Canonical 处罚类别 that earn severe_penalty points.'),
      })
      .strict()
      .prefault({}),
    sampling: z
      .object({
        ratios: z
          .object({
            A: ratio.default(CLASS_RATIOS.A).describe('Share of class A (信用风险低) entities drawn per region.'),
            B: ratio.default(CLASS_RATIOS.B).describe('Share of class B entities drawn per region.'),
            C: ratio.default(CLASS_RATIOS.C).describe('Share of class C entities drawn per region.'),
            D: ratio.default(CLASS_RATIOS.D).describe('Share of class D entities drawn per region (全覆盖 by default).'),
          })
          .strict()
          .prefault({})
          .describe('Share of each class drawn per region (rounded up, so a non-empty class always yields one).'),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(20_240_101)
          .describe('Seed of the draw; recorded in mart.inspection_plan.'),
        inspectors_per_team: z.number().int().min(2).max(5).default(2).describe('Inspectors paired per drawn entity (at least 2).'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type RiskConfig = z.output<typeof riskConfigSchema>;
export type RiskConfigInput = z.input<typeof riskConfigSchema>;

/** Validate a config object; every problem is listed as `path: message`. */
export function parseRiskConfig(input: unknown, file = '<inline>'): RiskConfig {
  const parsed = riskConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid risk config ${file}`, issues);
  }
  return parsed.data;
}

/** The defaults alone. */
export function defaultRiskConfig(): RiskConfig {
  return parseRiskConfig({});
}

/** Load an optional JSON file; no file → defaults. */
export function loadRiskConfig(file?: string): RiskConfig {
  if (!file) return defaultRiskConfig();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(`cannot read risk config ${file}: ${errorMessage(err)}`, [], err);
  }
  return parseRiskConfig(json, file);
}
