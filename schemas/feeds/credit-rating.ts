// 企业信用风险分类 A/B/C/D (国市监信发〔2022〕6号; Hebei 冀市监规〔2022〕2号), reported monthly.
import { defineFeed, type EnumOption } from '../fields.ts';

export const CREDIT_CLASSES: readonly EnumOption[] = [
  { code: 'A', label: '信用风险低', aliases: ['A类', '低'] },
  { code: 'B', label: '信用风险一般', aliases: ['B类', '一般'] },
  { code: 'C', label: '信用风险较高', aliases: ['C类', '较高'] },
  { code: 'D', label: '信用风险高', aliases: ['D类', '高'] },
];

export const creditRating = defineFeed({
  name: 'credit_rating',
  label: '企业信用风险分类',
  family: 'credit',
  naturalKey: ['uscc', 'rated_on'],
  fields: {
    uscc: { kind: 'uscc', label: '统一社会信用代码', aliases: ['社会信用代码'], required: true },
    name: { kind: 'text', max: 200, label: '企业名称', aliases: ['名称', '主体名称'], required: true },
    risk_class: { kind: 'enum', options: CREDIT_CLASSES, label: '信用风险分类', aliases: ['风险分类', '分类结果', '风险等级'], required: true },
    score: { kind: 'integer', min: 0, max: 1000, label: '信用风险评分', aliases: ['评分', '分值'] },
    rated_on: { kind: 'date', label: '分类日期', aliases: ['评价日期', '分类时间', '统计月份'], required: true },
    rated_by: { kind: 'text', max: 200, label: '分类机关', aliases: ['评价机关'], required: true },
  },
});
