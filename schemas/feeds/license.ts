// 行政许可 (双公示, XK_* fields of the current national spec).
import { dateOrder, identityFields, sourceUnitFields } from '../common.ts';
import { defineFeed } from '../fields.ts';

export const LICENSE_CATEGORIES = [
  { code: '普通', label: '普通', aliases: ['0'] },
  { code: '特许', label: '特许' },
  { code: '认可', label: '认可' },
  { code: '核准', label: '核准' },
  { code: '登记', label: '登记' },
  { code: '其他', label: '其他' },
] as const;

export const LICENSE_STATUS = [
  { code: '1', label: '有效', aliases: ['正常', '在用'] },
  { code: '2', label: '无效', aliases: ['失效'] },
  { code: '3', label: '撤销', aliases: ['已撤销', '撤回'] },
  { code: '4', label: '注销', aliases: ['已注销'] },
  { code: '5', label: '吊销', aliases: ['已吊销'] },
] as const;

export const license = defineFeed({
  name: 'license',
  label: '行政许可',
  family: 'license',
  naturalKey: ['license_no', 'issuer'],
  fields: {
    ...identityFields('XK'),
    decision_doc_name: { kind: 'text', max: 200, label: '行政许可决定文书名称', std: ['XK_XKWS'], aliases: ['许可决定文书名称'], required: true },
    decision_doc_no: { kind: 'code', max: 128, label: '行政许可决定文书号', std: ['XK_WSH'], aliases: ['许可决定文书号', '文书号'], required: true },
    category: { kind: 'enum', options: LICENSE_CATEGORIES, label: '许可类别', std: ['XK_XKLB'], aliases: ['审批类别'], required: true },
    certificate_name: { kind: 'text', max: 200, label: '许可证书名称', std: ['XK_XKZS'], aliases: ['证书名称', '许可证名称'] },
    license_no: { kind: 'code', max: 128, label: '许可编号', std: ['XK_XKBH'], aliases: ['许可证编号', '许可证号', '证书编号'], required: true },
    content: { kind: 'text', max: 4000, label: '许可内容', std: ['XK_NR'], aliases: ['经营范围'], required: true },
    decided_on: { kind: 'date', label: '许可决定日期', std: ['XK_JDRQ'], aliases: ['决定日期', '发证日期'], required: true },
    valid_from: { kind: 'date', label: '有效期自', std: ['XK_YXQZ'], aliases: ['有效期起', '有效期开始日期'], required: true },
    valid_to: {
      kind: 'date',
      openEnded: true,
      label: '有效期至',
      std: ['XK_YXQZI'],
      aliases: ['有效期止', '有效期截止日期', '许可截止期'],
      required: true,
    },
    issuer: { kind: 'text', max: 200, label: '许可机关', std: ['XK_XKJG'], aliases: ['发证机关', '审批机关'], required: true },
    issuer_uscc: { kind: 'uscc', label: '许可机关统一社会信用代码', std: ['XK_XKJGDM'], aliases: ['许可机关代码'], required: true },
    status: { kind: 'enum', options: LICENSE_STATUS, label: '当前状态', std: ['XK_ZT'], aliases: ['状态', '许可状态'], required: true },
    status_on: {
      kind: 'date',
      label: '状态变更日期',
      aliases: ['状态日期', '注销日期', '吊销日期', '撤销日期', '失效日期'],
      description:
        'The day the 当前状态 took effect (e.g. the 注销 date); not in the national spec, sent by some systems. Without it, a 无效/撤销/注销/吊销 status counts from the first file that reported it (core.licenses).',
    },
    ...sourceUnitFields({ name: 'XK_LYDW', code: 'XK_LYDWDM' }),
  },
  rules: [dateOrder('valid_to', 'valid_from', '有效期至早于有效期自')],
});
