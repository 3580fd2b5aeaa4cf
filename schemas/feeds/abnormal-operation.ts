// 经营异常名录 (GSXT): listing and removal, reasons by code or text.
import { dateOrder } from '../common.ts';
import { defineFeed, type EnumOption } from '../fields.ts';

export const ABNORMAL_REASONS: readonly EnumOption[] = [
  {
    code: '1',
    label: '未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告',
    aliases: ['未按时年报', '【未按时年报】', '未按规定期限公示年度报告'],
  },
  {
    code: '2',
    label: '未在工商行政管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息',
    aliases: ['未在责令期限内公示', '【未在责令期限内公示】'],
  },
  { code: '3', label: '公示企业信息隐瞒真实情况、弄虚作假', aliases: ['公示信息虚假', '【公示信息虚假】'] },
  { code: '4', label: '通过登记的住所或者经营场所无法联系', aliases: ['查无下落', '【查无下落】', '住所无法联系'] },
];

export const ABNORMAL_REMOVAL_REASONS: readonly EnumOption[] = [
  { code: '1', label: '列入经营异常名录3年内且已补报未报年份的年度报告并公示', aliases: ['已补报年度报告', '补报年报'] },
  { code: '2', label: '列入经营异常名录3年内且已履行公示义务', aliases: ['已履行公示义务'] },
  { code: '3', label: '列入经营异常名录3年内且已更正其公示的信息', aliases: ['已更正公示信息'] },
  { code: '4', label: '列入经营异常名录3年内且已依法办理住所或者经营场所变更登记', aliases: ['已办理住所变更登记'] },
  { code: '5', label: '列入经营异常名录3年内且可以重新取得联系', aliases: ['重新取得联系'] },
];

export const abnormalOperation = defineFeed({
  name: 'abnormal_operation',
  label: '经营异常名录',
  family: 'credit',
  naturalKey: ['uscc', 'listed_on'],
  fields: {
    uscc: { kind: 'uscc', label: '统一社会信用代码', aliases: ['社会信用代码', '注册号/统一社会信用代码'], required: true },
    name: { kind: 'text', max: 200, label: '企业名称', aliases: ['名称', '主体名称'], required: true },
    reason: { kind: 'enum', options: ABNORMAL_REASONS, label: '列入经营异常名录原因', std: ['SPECAUSE_CN'], aliases: ['列入原因'], required: true },
    listed_on: { kind: 'date', label: '列入日期', std: ['ABNTIME'], required: true },
    listed_by: { kind: 'text', max: 200, label: '作出决定机关（列入）', std: ['DECORG_CN'], aliases: ['列入决定机关'], required: true },
    removal_reason: { kind: 'enum', options: ABNORMAL_REMOVAL_REASONS, label: '移出经营异常名录原因', std: ['REMEXCPRES_CN'], aliases: ['移出原因'] },
    removed_on: { kind: 'date', label: '移出日期', std: ['REMDATE'] },
    removed_by: { kind: 'text', max: 200, label: '作出决定机关（移出）', std: ['REDECORG_CN'], aliases: ['移出决定机关'] },
  },
  rules: [dateOrder('removed_on', 'listed_on', '移出日期早于列入日期')],
});
