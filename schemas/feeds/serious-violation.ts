// 严重违法失信（企业）名单 ("黑名单"): listing and removal with decision numbers.
import { dateOrder } from '../common.ts';
import { defineFeed } from '../fields.ts';

export const seriousViolation = defineFeed({
  name: 'serious_violation',
  label: '严重违法失信名单',
  family: 'credit',
  naturalKey: ['uscc', 'listed_on'],
  fields: {
    uscc: { kind: 'uscc', label: '统一社会信用代码', aliases: ['社会信用代码'], required: true },
    name: { kind: 'text', max: 200, label: '企业名称', aliases: ['名称', '主体名称', '当事人名称'], required: true },
    category: { kind: 'text', max: 100, label: '类别' },
    reason: {
      kind: 'text',
      max: 2000,
      label: '列入严重违法失信名单原因',
      aliases: ['列入严重违法失信企业名单（黑名单）原因', '列入原因'],
      required: true,
    },
    listed_on: { kind: 'date', label: '列入日期', required: true },
    listing_doc_no: { kind: 'code', max: 128, label: '列入决定书文号', aliases: ['列入文号'] },
    listed_by: { kind: 'text', max: 200, label: '作出决定机关（列入）', aliases: ['列入决定机关'], required: true },
    removal_reason: { kind: 'text', max: 2000, label: '移出严重违法失信名单原因', aliases: ['移出原因'] },
    removed_on: { kind: 'date', label: '移出日期' },
    removal_doc_no: { kind: 'code', max: 128, label: '移出决定书文号' },
    removed_by: { kind: 'text', max: 200, label: '作出决定机关（移出）', aliases: ['移出决定机关'] },
  },
  rules: [dateOrder('removed_on', 'listed_on', '移出日期早于列入日期')],
});
