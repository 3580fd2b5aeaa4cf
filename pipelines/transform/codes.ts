// The labels of the codes the warehouse stores (risk classes A–D, licence statuses, levels, list types, …), in one
// definition: written to ref.codes for the SQL models to join (ref.ts), and read here by the TypeScript that shows
// them (the risk summary). The feeds' own code lists come from their specs (schemas/feeds), as `<feed>.<field>`.
import { FEEDS } from '../../schemas/feeds/index.ts';
import { LEVEL_LABELS, LEVELS } from '../../schemas/sources-config.ts';

export interface Code {
  code: string;
  label: string;
}

/** Code sets of the warehouse's own columns, which no feed spec defines. */
const WAREHOUSE_CODE_SETS: Record<string, readonly Code[]> = {
  // meta.batches.level, staging._level, core.*.reported_levels
  level: LEVELS.map((l) => ({ code: l, label: LEVEL_LABELS[l] })),
  // core.credit_events.event_type, named as messages name the lists
  event_type: [
    { code: 'dishonest_debtor', label: '失信被执行人名单' },
    { code: 'abnormal_operation', label: '经营异常名录' },
    { code: 'serious_violation', label: '严重违法失信名单' },
    { code: 'credit_rating', label: '企业信用风险分类' },
  ],
  // mart.entity_risk.class_source: where the final risk_class comes from (classes.combine, see rules.ts CLASS_RULE)
  'entity_risk.class_source': [
    { code: 'computed', label: '本仓评分' },
    { code: 'official', label: '市场监管部门分类' },
    { code: 'both', label: '评分与分类一致' },
    { code: 'no-data', label: '无信用记录' },
  ],
};

/** Every code set, by name: `<feed>.<field>` for each enum field of a feed (e.g. `license.status`,
 * `credit_rating.risk_class`, which also labels mart.entity_risk.risk_class), then the warehouse's own. */
export const CODE_SETS: ReadonlyMap<string, readonly Code[]> = new Map<string, readonly Code[]>([
  ...Object.values(FEEDS).flatMap((f) =>
    Object.entries(f.fields).flatMap(([name, spec]) =>
      spec.kind === 'enum' ? [[`${f.name}.${name}`, spec.options.map((o) => ({ code: o.code, label: o.label }))] as const] : [],
    ),
  ),
  ...Object.entries(WAREHOUSE_CODE_SETS),
]);

/** The codes of a set in their defined order. */
export function codes(set: string): readonly Code[] {
  const found = CODE_SETS.get(set);
  if (!found) throw new Error(`no code set ${set}`);
  return found;
}

/** ref.codes rows: code_set, code, label, sort_order (1-based, the order the set defines). */
export function codeRows(): [string, string, string, number][] {
  return [...CODE_SETS].flatMap(([set, list]) => list.map((c, i): [string, string, string, number] => [set, c.code, c.label, i + 1]));
}
